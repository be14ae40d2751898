#include "consoleoptions.h"

#include <QTest>

class tst_ConsoleOptions : public QObject
{
    Q_OBJECT

private slots:
    void separatesConsoleAndServiceOptions()
    {
        const ConsoleOptions o = ConsoleOptions::parse({QStringLiteral("sluice-console"), QStringLiteral("--interval"),
                                                        QStringLiteral("2.5"), QStringLiteral("--redis-addr"),
                                                        QStringLiteral("127.0.0.1:6379"), QStringLiteral("--top=200"),
                                                        QStringLiteral("--language"), QStringLiteral("de")});
        QVERIFY(o.errors.isEmpty());
        QCOMPARE(o.intervalSeconds.value_or(0), 2.5);
        QCOMPARE(o.topKeys.value_or(0), 200);
        QCOMPARE(o.language.value_or(QString()), QStringLiteral("de"));
        QVERIFY(!o.connectUrl);
        QCOMPARE(o.serviceArguments, (QStringList{QStringLiteral("sluice-console"), QStringLiteral("--redis-addr"),
                                                  QStringLiteral("127.0.0.1:6379")}));
    }

    void connectAddsTheSchemeWhenMissing()
    {
        const ConsoleOptions o = ConsoleOptions::parse({QStringLiteral("c"), QStringLiteral("--connect"),
                                                        QStringLiteral("sluice.internal:7055")});
        QVERIFY(o.errors.isEmpty());
        QCOMPARE(o.connectUrl.value_or(QUrl()), QUrl(QStringLiteral("http://sluice.internal:7055")));
    }

    void rejectsBadValues_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addRow("top too high") << QStringList{QStringLiteral("c"), QStringLiteral("--top"), QStringLiteral("5000")};
        QTest::addRow("interval not a number") << QStringList{QStringLiteral("c"), QStringLiteral("--interval=fast")};
        QTest::addRow("missing value") << QStringList{QStringLiteral("c"), QStringLiteral("--connect")};
        QTest::addRow("connect without host") << QStringList{QStringLiteral("c"), QStringLiteral("--connect"), QStringLiteral("http://")};
    }
    void rejectsBadValues()
    {
        QFETCH(QStringList, arguments);
        QCOMPARE(ConsoleOptions::parse(arguments).errors.size(), 1);
    }

    void recognisesHelp()
    {
        QVERIFY(ConsoleOptions::parse({QStringLiteral("c"), QStringLiteral("-h")}).help);
        QVERIFY(ConsoleOptions::parse({QStringLiteral("c"), QStringLiteral("--help")}).help);
    }
};

QTEST_APPLESS_MAIN(tst_ConsoleOptions)
#include "tst_consoleoptions.moc"
