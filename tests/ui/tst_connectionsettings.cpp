#include "connectionsettings.h"

#include <QFile>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

class tst_ConnectionSettings : public QObject
{
    Q_OBJECT

private slots:
    void keyIsNotStoredUnlessTheOperatorOptsIn()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("console.ini"));
        {
            QSettings settings(path, QSettings::IniFormat);
            ConnectionSettings recent(settings);
            recent.remember(QStringLiteral("http://a:7055"), QStringLiteral("secret-a"), ConnectionSettings::KeyStorage::NotSaved);
            recent.remember(QStringLiteral("http://b:7055"), QStringLiteral("secret-b"),
                            ConnectionSettings::KeyStorage::SavedInPlainText);
        }
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray text = file.readAll();
        QVERIFY(!text.contains("secret-a"));
        QVERIFY(text.contains("secret-b"));

        QSettings settings(path, QSettings::IniFormat);
        const auto list = ConnectionSettings(settings).recent();
        QCOMPARE(list.size(), 2);
        QCOMPARE(list.at(0).url, QStringLiteral("http://b:7055"));
        QCOMPARE(list.at(0).adminKey, QStringLiteral("secret-b"));
        QCOMPARE(list.at(1).adminKey, QString());
        QCOMPARE(list.at(1).keyStorage, ConnectionSettings::KeyStorage::NotSaved);
    }

    void untickingForgetsASavedKey()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(QStringLiteral("console.ini")), QSettings::IniFormat);
        ConnectionSettings recent(settings);
        recent.remember(QStringLiteral("http://a"), QStringLiteral("k1"), ConnectionSettings::KeyStorage::SavedInPlainText);
        recent.remember(QStringLiteral("http://a"), QStringLiteral("k1"), ConnectionSettings::KeyStorage::NotSaved);
        QCOMPARE(recent.recent().size(), 1);
        QCOMPARE(recent.recent().at(0).adminKey, QString());
        QVERIFY(!settings.allKeys().join(QLatin1Char(' ')).contains(QLatin1String("adminKey")));
    }

    void keepsTheMostRecentFirstAndBounded()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(QStringLiteral("console.ini")), QSettings::IniFormat);
        ConnectionSettings recent(settings);
        for (int i = 0; i < 12; ++i)
            recent.remember(QStringLiteral("http://host%1").arg(i), {}, ConnectionSettings::KeyStorage::NotSaved);
        recent.remember(QStringLiteral("http://host5"), {}, ConnectionSettings::KeyStorage::NotSaved);
        const auto list = recent.recent();
        QCOMPARE(list.size(), ConnectionSettings::maxRecent());
        QCOMPARE(list.at(0).url, QStringLiteral("http://host5"));
        QCOMPARE(list.at(1).url, QStringLiteral("http://host11"));
        recent.forget(QStringLiteral("http://host5"));
        QCOMPARE(recent.recent().at(0).url, QStringLiteral("http://host11"));
    }
};

QTEST_APPLESS_MAIN(tst_ConnectionSettings)
#include "tst_connectionsettings.moc"
