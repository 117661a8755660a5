// Field expressions of rules: `seg.seq + 1`, `seg.seq + seg.win - 1`, `tcb.snd_nxt`, `rand(1, 9)`.
// A tiny language: 32-bit unsigned integers (decimal or 0x hex), + - * / %, parentheses, unary
// minus, names of segment and TCB facts, and rand(lo, hi) from the lab's seeded RNG. Arithmetic
// wraps modulo 2^32, like sequence numbers (RFC 9293 section 3.4: "all arithmetic dealing with
// sequence numbers must be performed modulo 2**32").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.h"
#include "core/rng.h"
#include "tcp/tcp_state.h"

namespace tcplab {

// What an expression may read. `tcb` may be null (no session): reading tcb.* then is an error.
struct ExprContext {
    std::uint32_t segSeq = 0, segAck = 0, segWin = 0, segLen = 0, segFlags = 0;
    const TcbSnapshot *tcb = nullptr;
    Rng *rng = nullptr;
};

// Where and why parsing failed; column counts from 1 in the expression text.
struct ExprParseError {
    std::size_t column = 1;
    std::string message;
};

class Expr {
public:
    Expr() : nodes_(1) {}  // the constant 0, text "0"
    static Expr constant(std::uint32_t value);
    // Parses text; on failure fills `error` (when given) and returns "column N: message".
    static Expected<Expr> parse(std::string_view text, ExprParseError *error = nullptr);

    // Division or remainder by zero, a tcb.* name with no TCB, and rand() with no RNG are errors.
    Expected<std::uint32_t> eval(const ExprContext &ctx) const;

    const std::string &text() const { return text_; }
    bool isConstant() const { return nodes_.size() == 1 && nodes_[0].op == Op::Literal; }
    bool operator==(const Expr &other) const { return text_ == other.text_; }

    enum class Op : std::uint8_t {
        Literal, SegSeq, SegAck, SegWin, SegLen, SegFlags, TcbSndNxt, TcbRcvNxt, TcbIss, TcbIrs,
        TcbSndUna, TcbSndWnd, TcbRcvWnd, Neg, Add, Sub, Mul, Div, Mod, Rand,
    };
    struct Node {
        Op op = Op::Literal;
        std::uint32_t value = 0;  // literal value
        std::int32_t a = -1, b = -1;  // operand node indices
    };

private:
    Expected<std::uint32_t> evalNode(std::int32_t index, const ExprContext &ctx) const;

    std::string text_ = "0";
    std::vector<Node> nodes_;
    std::int32_t root_ = 0;
    friend class ExprParser;
};

}  // namespace tcplab
