// Replays every committed fuzz input (seeds and regressions from crashes found by scripts/fuzz.sh)
// under tests/fuzz/corpus/<target>/ through the same entry points the libFuzzer executables use, so
// the normal (gcc) build keeps every one of them passing. An input that breaks an invariant aborts.

#include "fuzzentrypoints.h"

#include <QDir>
#include <QFile>
#include <QTest>

namespace {

using EntryPoint = void (*)(const uint8_t *, size_t);

} // namespace

Q_DECLARE_METATYPE(EntryPoint)

class tst_FuzzCorpus : public QObject
{
    Q_OBJECT

private slots:
    void replaysEveryCorpusInput_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<EntryPoint>("entryPoint");
        const QList<std::pair<const char *, EntryPoint>> targets{{"config", &FuzzEntryPoints::serviceConfig},
                                                                  {"adminjson", &FuzzEntryPoints::adminJson},
                                                                  {"client", &FuzzEntryPoints::clientIdentity},
                                                                  {"httpparser", &FuzzEntryPoints::httpParser}};
        for (const auto &[name, entryPoint] : targets) {
            const QDir dir(QStringLiteral(SLUICE_FUZZ_CORPUS_DIR "/") + QLatin1String(name));
            const QStringList files = dir.entryList(QDir::Files, QDir::Name);
            QVERIFY2(!files.isEmpty(), qPrintable(QStringLiteral("no seeds in ") + dir.path()));
            for (const QString &file : files)
                QTest::addRow("%s/%s", name, qPrintable(file)) << dir.filePath(file) << entryPoint;
        }
    }
    void replaysEveryCorpusInput()
    {
        QFETCH(QString, file);
        QFETCH(EntryPoint, entryPoint);
        QFile f(file);
        QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(file));
        const QByteArray data = f.readAll();
        entryPoint(reinterpret_cast<const uint8_t *>(data.constData()), size_t(data.size()));
    }
};

QTEST_GUILESS_MAIN(tst_FuzzCorpus)
#include "tst_fuzzcorpus.moc"
