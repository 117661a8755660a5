// Field expressions: parsing (with error columns), modulo-2^32 evaluation, rand determinism,
// division by zero as an error, and flag expressions.
#include <QtTest>

#include "rules/expr.h"
#include "rules/rule.h"

using namespace tcplab;

namespace {
Expected<std::uint32_t> evalText(std::string_view text, const ExprContext &ctx = {})
{
    auto e = Expr::parse(text);
    if (!e) return e.error();
    return e->eval(ctx);
}
}  // namespace

class TestExpr : public QObject {
    Q_OBJECT
private slots:
    void arithmeticFollowsPrecedence_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<quint32>("value");
        QTest::newRow("literal") << "42" << 42u;
        QTest::newRow("hex") << "0x10" << 16u;
        QTest::newRow("precedence") << "2 + 3 * 4" << 14u;
        QTest::newRow("parentheses") << "(2 + 3) * 4" << 20u;
        QTest::newRow("left-assoc") << "100 - 10 - 5" << 85u;
        QTest::newRow("div-mod") << "17 / 5 + 17 % 5" << 5u;
        QTest::newRow("unary minus wraps") << "-1" << 0xffffffffu;
        QTest::newRow("double minus") << "--7" << 7u;
        QTest::newRow("sum wraps mod 2^32") << "0xffffffff + 2" << 1u;
        QTest::newRow("product wraps") << "0x10000 * 0x10000" << 0u;
        QTest::newRow("spaces") << "  ( 1+2 )*3 " << 9u;
    }
    void arithmeticFollowsPrecedence()
    {
        QFETCH(QString, text);
        QFETCH(quint32, value);
        auto v = evalText(text.toStdString());
        QVERIFY2(v.ok(), v.ok() ? "" : v.error().message.c_str());
        QCOMPARE(*v, value);
    }

    void segmentAndTcbNamesReadTheContext()
    {
        TcbSnapshot tcb;
        tcb.state = TcpState::Established;
        tcb.sndNxt = SeqNum(1000);
        tcb.rcvNxt = SeqNum(2000);
        tcb.iss = SeqNum(999);
        tcb.irs = SeqNum(1999);
        ExprContext ctx;
        ctx.segSeq = 0xfffffff0u;
        ctx.segAck = 7;
        ctx.segWin = 64240;
        ctx.segLen = 1;
        ctx.segFlags = 0x02;
        ctx.tcb = &tcb;
        // The article's bare ACK: ack = seg.seq + seg.win - 1, wrapping past 2^32.
        QCOMPARE(*evalText("seg.seq + seg.win - 1", ctx), std::uint32_t(0xfffffff0u + 64240u - 1u));
        QCOMPARE(*evalText("seg.seq + 1", ctx), 0xfffffff1u);
        QCOMPARE(*evalText("seg.ack + seg.len + seg.flags", ctx), 10u);
        QCOMPARE(*evalText("tcb.snd_nxt + tcb.rcv_nxt - tcb.iss - tcb.irs", ctx), 2u);
    }

    void tcbNamesWithoutSessionAreAnError()
    {
        auto v = evalText("tcb.snd_nxt + 1");
        QVERIFY(!v.ok());
        QVERIFY(v.error().message.find("no connection") != std::string::npos);
    }

    void divisionByZeroIsAnErrorNotACrash()
    {
        ExprContext ctx;
        auto v = evalText("seg.seq / seg.len", ctx);
        QVERIFY(!v.ok());
        QVERIFY(v.error().message.find("division by zero") != std::string::npos);
        QVERIFY(!evalText("5 % 0").ok());
    }

    void randIsDeterministicForASeed()
    {
        auto e = *Expr::parse("rand(10, 20)");
        Rng a(99), b(99);
        ExprContext ca, cb;
        ca.rng = &a;
        cb.rng = &b;
        bool sawDifferent = false;
        std::uint32_t first = *e.eval(ca);
        cb.rng = &b;
        QCOMPARE(*e.eval(cb), first);
        for (int i = 0; i < 200; ++i) {
            const auto x = *e.eval(ca), y = *e.eval(cb);
            QCOMPARE(x, y);
            QVERIFY(x >= 10 && x <= 20);
            sawDifferent = sawDifferent || x != first;
        }
        QVERIFY(sawDifferent);
        QVERIFY(!Expr::parse("rand(1, 2)")->eval(ExprContext{}).ok());  // no RNG given
    }

    void parseErrorsCarryTheColumn_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("words");
        QTest::newRow("empty") << "" << 1 << "empty";
        QTest::newRow("unknown name") << "seg.seq + seg.foo" << 11 << "unknown name 'seg.foo'";
        QTest::newRow("dangling operator") << "1 +" << 4 << "expected";
        QTest::newRow("unclosed paren") << "(1 + 2" << 7 << "expected ')'";
        QTest::newRow("stray char") << "1 $ 2" << 3 << "unexpected '$'";
        QTest::newRow("trailing") << "1 2" << 3 << "unexpected '2'";
        QTest::newRow("bad hex") << "0xZZ" << 1 << "bad number";
        QTest::newRow("too big") << "4294967296" << 1 << "does not fit 32 bits";
        QTest::newRow("rand missing comma") << "rand(1 2)" << 8 << "expected ','";
        QTest::newRow("rand missing paren") << "rand 1" << 6 << "expected '('";
    }
    void parseErrorsCarryTheColumn()
    {
        QFETCH(QString, text);
        QFETCH(int, column);
        QFETCH(QString, words);
        ExprParseError err;
        auto e = Expr::parse(text.toStdString(), &err);
        QVERIFY(!e.ok());
        QCOMPARE(int(err.column), column);
        QVERIFY2(err.message.find(words.toStdString()) != std::string::npos, err.message.c_str());
        QVERIFY(e.error().message.rfind("column " + std::to_string(column) + ": ", 0) == 0);
    }

    void deepNestingIsRefused()
    {
        std::string deep(200, '(');
        deep += "1";
        deep += std::string(200, ')');
        QVERIFY(!Expr::parse(deep).ok());
        std::string longSum = "1";
        for (int i = 0; i < 2000; ++i) longSum += "+1";
        QVERIFY(!Expr::parse(longSum).ok());
    }

    void flagMatchesAcceptSeveralSpellings_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("set");
        QTest::addColumn<int>("clear");
        QTest::newRow("and-not") << "SYN && !ACK" << 0x02 << 0x10;
        QTest::newRow("single amp") << "syn & !ack" << 0x02 << 0x10;
        QTest::newRow("comma") << "RST, !ACK" << 0x04 << 0x10;
        QTest::newRow("spaces") << "FIN ACK" << 0x11 << 0;
        QTest::newRow("only clear") << "!SYN" << 0 << 0x02;
        QTest::newRow("all") << "FIN SYN RST PSH ACK URG ECE CWR" << 0xff << 0;
    }
    void flagMatchesAcceptSeveralSpellings()
    {
        QFETCH(QString, text);
        QFETCH(int, set);
        QFETCH(int, clear);
        auto f = parseFlagMatch(text.toStdString());
        QVERIFY2(f.ok(), f.ok() ? "" : f.error().message.c_str());
        QCOMPARE(int(f->set), set);
        QCOMPARE(int(f->clear), clear);
        // The canonical text parses back to the same terms.
        auto again = parseFlagMatch(flagMatchText(f->set, f->clear));
        QCOMPARE(int(again->set), set);
        QCOMPARE(int(again->clear), clear);
    }

    void badFlagMatchesNameTheColumn()
    {
        std::size_t col = 0;
        QVERIFY(!parseFlagMatch("SYN && !AKC", &col).ok());
        QCOMPARE(col, std::size_t(9));
        QVERIFY(!parseFlagMatch("SYN || ACK", &col).ok());
        QCOMPARE(col, std::size_t(5));
        QVERIFY(!parseFlagMatch("SYN && !SYN", &col).ok());
        QCOMPARE(col, std::size_t(8));
        QVERIFY(!parseFlagMatch("", &col).ok());
        QVERIFY(!parseFlagSet("!SYN", &col).ok());
        QCOMPARE(*parseFlagSet("SYN|ACK"), std::uint8_t(0x12));
        QCOMPARE(*parseFlagSet("none"), std::uint8_t(0));
        QCOMPARE(flagSetText(0x12), std::string("SYN|ACK"));
    }
};

QTEST_APPLESS_MAIN(TestExpr)
#include "test_expr.moc"
