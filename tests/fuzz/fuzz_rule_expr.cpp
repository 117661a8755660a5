// Fuzzes rule expressions and flag matches: parsing never crashes, a parsed expression evaluates
// (or reports an error) without crashing, and an error always names a column inside the text.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "rules/expr.h"
#include "rules/rule.h"

using namespace tcplab;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    ExprParseError err;
    auto e = Expr::parse(text, &err);
    if (e.ok()) {
        TcbSnapshot tcb;
        tcb.state = TcpState::Established;
        Rng rng(size);
        ExprContext ctx{0xfffffff0u, 7, 65535, 1, 0x12, &tcb, &rng};
        (void)e->eval(ctx);
        ctx.tcb = nullptr;
        ctx.rng = nullptr;
        (void)e->eval(ctx);
        // The text round-trips: parsing it again gives the same expression.
        if (!Expr::parse(e->text()).ok()) std::abort();
    } else if (err.column < 1 || err.column > size + 1) {
        std::abort();
    }
    std::size_t col = 0;
    auto f = parseFlagMatch(text, &col);
    if (f.ok()) {
        if (f->set & f->clear) std::abort();
        auto again = parseFlagMatch(flagMatchText(f->set, f->clear));
        if (!again.ok() || again->set != f->set || again->clear != f->clear) std::abort();
    }
    (void)parseFlagSet(text, &col);
    return 0;
}
