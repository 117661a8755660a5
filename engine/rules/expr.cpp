#include "rules/expr.h"

#include <cctype>
#include <charconv>

namespace tcplab {

namespace {

struct NameEntry {
    std::string_view name;
    Expr::Op op;
};
constexpr NameEntry kNames[] = {
    {"seg.seq", Expr::Op::SegSeq},       {"seg.ack", Expr::Op::SegAck},       {"seg.win", Expr::Op::SegWin},
    {"seg.len", Expr::Op::SegLen},       {"seg.flags", Expr::Op::SegFlags},   {"tcb.snd_nxt", Expr::Op::TcbSndNxt},
    {"tcb.rcv_nxt", Expr::Op::TcbRcvNxt}, {"tcb.iss", Expr::Op::TcbIss},       {"tcb.irs", Expr::Op::TcbIrs},
    {"tcb.snd_una", Expr::Op::TcbSndUna}, {"tcb.snd_wnd", Expr::Op::TcbSndWnd}, {"tcb.rcv_wnd", Expr::Op::TcbRcvWnd},
};

// Deep nesting would recurse deeply at evaluation time too; no real rule needs it.
constexpr int kMaxDepth = 64;
constexpr std::size_t kMaxNodes = 512;

}  // namespace

// Recursive descent over:
//   expr    := term (('+' | '-') term)*
//   term    := unary (('*' | '/' | '%') unary)*
//   unary   := '-' unary | primary
//   primary := number | name | 'rand' '(' expr ',' expr ')' | '(' expr ')'
class ExprParser {
public:
    explicit ExprParser(std::string_view text) : s_(text) {}

    bool run(Expr &out)
    {
        out.nodes_.clear();
        nodes_ = &out.nodes_;
        skipSpace();
        if (pos_ == s_.size()) return fail(pos_, "empty expression");
        const std::int32_t root = expr(0);
        if (root < 0) return false;
        skipSpace();
        if (pos_ != s_.size()) return fail(pos_, "unexpected '" + std::string(1, s_[pos_]) + "'");
        out.root_ = root;
        return true;
    }

    ExprParseError error;

private:
    bool fail(std::size_t at, std::string message)
    {
        if (!failed_) error = {at + 1, std::move(message)};
        failed_ = true;
        return false;
    }
    void skipSpace()
    {
        while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
    }
    bool eat(char c)
    {
        skipSpace();
        if (pos_ < s_.size() && s_[pos_] == c) {
            ++pos_;
            return true;
        }
        return false;
    }
    std::int32_t add(Expr::Op op, std::uint32_t value = 0, std::int32_t a = -1, std::int32_t b = -1)
    {
        if (nodes_->size() >= kMaxNodes) return fail(pos_, "expression too long"), -1;
        nodes_->push_back({op, value, a, b});
        return static_cast<std::int32_t>(nodes_->size() - 1);
    }

    std::int32_t expr(int depth)
    {
        std::int32_t left = term(depth);
        while (left >= 0) {
            skipSpace();
            if (pos_ >= s_.size() || (s_[pos_] != '+' && s_[pos_] != '-')) break;
            const auto op = s_[pos_++] == '+' ? Expr::Op::Add : Expr::Op::Sub;
            const std::int32_t right = term(depth);
            if (right < 0) return -1;
            left = add(op, 0, left, right);
        }
        return left;
    }

    std::int32_t term(int depth)
    {
        std::int32_t left = unary(depth);
        while (left >= 0) {
            skipSpace();
            if (pos_ >= s_.size() || (s_[pos_] != '*' && s_[pos_] != '/' && s_[pos_] != '%')) break;
            const char c = s_[pos_++];
            const auto op = c == '*' ? Expr::Op::Mul : c == '/' ? Expr::Op::Div : Expr::Op::Mod;
            const std::int32_t right = unary(depth);
            if (right < 0) return -1;
            left = add(op, 0, left, right);
        }
        return left;
    }

    std::int32_t unary(int depth)
    {
        if (depth > kMaxDepth) return fail(pos_, "expression nested too deeply"), -1;
        if (eat('-')) {
            const std::int32_t operand = unary(depth + 1);
            return operand < 0 ? -1 : add(Expr::Op::Neg, 0, operand);
        }
        return primary(depth);
    }

    std::int32_t primary(int depth)
    {
        skipSpace();
        if (pos_ >= s_.size()) return fail(pos_, "expected a number, a name or '('"), -1;
        const char c = s_[pos_];
        if (c == '(') {
            ++pos_;
            const std::int32_t inner = expr(depth + 1);
            if (inner < 0) return -1;
            if (!eat(')')) return fail(pos_, "expected ')'"), -1;
            return inner;
        }
        if (std::isdigit(static_cast<unsigned char>(c))) return number();
        if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') return name(depth);
        return fail(pos_, std::string("unexpected '") + c + "'"), -1;
    }

    std::int32_t number()
    {
        const std::size_t start = pos_;
        int base = 10;
        if (s_.size() - pos_ > 2 && s_[pos_] == '0' && (s_[pos_ + 1] == 'x' || s_[pos_ + 1] == 'X')) {
            base = 16;
            pos_ += 2;
        }
        const std::size_t digits = pos_;
        while (pos_ < s_.size() && std::isalnum(static_cast<unsigned char>(s_[pos_]))) ++pos_;
        std::uint64_t v = 0;
        const char *first = s_.data() + digits, *last = s_.data() + pos_;
        auto [p, ec] = std::from_chars(first, last, v, base);
        if (first == last || p != last) return fail(start, "bad number '" + std::string(s_.substr(start, pos_ - start)) + "'"), -1;
        if (ec == std::errc::result_out_of_range || v > 0xffffffffu)
            return fail(start, "number " + std::string(s_.substr(start, pos_ - start)) + " does not fit 32 bits"), -1;
        return add(Expr::Op::Literal, static_cast<std::uint32_t>(v));
    }

    std::int32_t name(int depth)
    {
        const std::size_t start = pos_;
        while (pos_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_' || s_[pos_] == '.'))
            ++pos_;
        const std::string_view word = s_.substr(start, pos_ - start);
        if (word == "rand") {
            if (!eat('(')) return fail(pos_, "expected '(' after rand"), -1;
            const std::int32_t lo = expr(depth + 1);
            if (lo < 0) return -1;
            if (!eat(',')) return fail(pos_, "expected ',' between rand's bounds"), -1;
            const std::int32_t hi = expr(depth + 1);
            if (hi < 0) return -1;
            if (!eat(')')) return fail(pos_, "expected ')' after rand's bounds"), -1;
            return add(Expr::Op::Rand, 0, lo, hi);
        }
        for (const auto &n : kNames)
            if (n.name == word) return add(n.op);
        return fail(start, "unknown name '" + std::string(word) +
                               "' (known: seg.seq seg.ack seg.win seg.len seg.flags tcb.snd_nxt tcb.rcv_nxt "
                               "tcb.iss tcb.irs tcb.snd_una tcb.snd_wnd tcb.rcv_wnd rand(lo, hi))"),
               -1;
    }

    std::string_view s_;
    std::size_t pos_ = 0;
    bool failed_ = false;
    std::vector<Expr::Node> *nodes_ = nullptr;
};

Expr Expr::constant(std::uint32_t value)
{
    Expr e;
    e.nodes_[0].value = value;
    e.text_ = std::to_string(value);
    return e;
}

Expected<Expr> Expr::parse(std::string_view text, ExprParseError *error)
{
    Expr e;
    ExprParser parser(text);
    if (!parser.run(e)) {
        if (error) *error = parser.error;
        return Error{"column " + std::to_string(parser.error.column) + ": " + parser.error.message};
    }
    e.text_ = std::string(text);
    return e;
}

Expected<std::uint32_t> Expr::eval(const ExprContext &ctx) const { return evalNode(root_, ctx); }

Expected<std::uint32_t> Expr::evalNode(std::int32_t index, const ExprContext &ctx) const
{
    const Node &n = nodes_[static_cast<std::size_t>(index)];
    auto needTcb = [&](const char *what) -> Expected<std::uint32_t> {
        return Error{std::string("'") + what + "' read with no connection (state NONE) in '" + text_ + "'"};
    };
    switch (n.op) {
    case Op::Literal: return n.value;
    case Op::SegSeq: return ctx.segSeq;
    case Op::SegAck: return ctx.segAck;
    case Op::SegWin: return ctx.segWin;
    case Op::SegLen: return ctx.segLen;
    case Op::SegFlags: return ctx.segFlags;
    case Op::TcbSndNxt: return ctx.tcb ? Expected<std::uint32_t>(ctx.tcb->sndNxt.raw()) : needTcb("tcb.snd_nxt");
    case Op::TcbRcvNxt: return ctx.tcb ? Expected<std::uint32_t>(ctx.tcb->rcvNxt.raw()) : needTcb("tcb.rcv_nxt");
    case Op::TcbIss: return ctx.tcb ? Expected<std::uint32_t>(ctx.tcb->iss.raw()) : needTcb("tcb.iss");
    case Op::TcbIrs: return ctx.tcb ? Expected<std::uint32_t>(ctx.tcb->irs.raw()) : needTcb("tcb.irs");
    case Op::TcbSndUna: return ctx.tcb ? Expected<std::uint32_t>(ctx.tcb->sndUna.raw()) : needTcb("tcb.snd_una");
    case Op::TcbSndWnd: return ctx.tcb ? Expected<std::uint32_t>(ctx.tcb->sndWnd) : needTcb("tcb.snd_wnd");
    case Op::TcbRcvWnd: return ctx.tcb ? Expected<std::uint32_t>(ctx.tcb->rcvWnd) : needTcb("tcb.rcv_wnd");
    default: break;
    }
    auto a = evalNode(n.a, ctx);
    if (!a) return a;
    if (n.op == Op::Neg) return std::uint32_t(0u - *a);
    auto b = evalNode(n.b, ctx);
    if (!b) return b;
    switch (n.op) {
    case Op::Add: return std::uint32_t(*a + *b);
    case Op::Sub: return std::uint32_t(*a - *b);
    case Op::Mul: return std::uint32_t(*a * *b);
    case Op::Div:
    case Op::Mod:
        if (*b == 0) return Error{"division by zero in '" + text_ + "'"};
        return n.op == Op::Div ? *a / *b : *a % *b;
    case Op::Rand:
        if (!ctx.rng) return Error{"rand() has no random source in '" + text_ + "'"};
        return static_cast<std::uint32_t>(ctx.rng->uniform(*a, *b));
    default: return Error{"bad expression node"};
    }
}

}  // namespace tcplab
