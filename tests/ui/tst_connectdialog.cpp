#include "connectdialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLineEdit>
#include <QPushButton>
#include <QTest>

class tst_ConnectDialog : public QObject
{
    Q_OBJECT

private:
    static QList<ConnectionSettings::Recent> recent()
    {
        return {{QStringLiteral("http://prod-eu:7055"), QStringLiteral("saved-key"),
                 ConnectionSettings::KeyStorage::SavedInPlainText},
                {QStringLiteral("http://staging:7055"), QString(), ConnectionSettings::KeyStorage::NotSaved}};
    }

private slots:
    void offersRecentConnectionsWithTheirSavedKeys()
    {
        ConnectDialog dialog(recent(), false);
        auto *url = dialog.findChild<QComboBox *>(QStringLiteral("connectUrlCombo"));
        auto *key = dialog.findChild<QLineEdit *>(QStringLiteral("connectAdminKeyEdit"));
        auto *save = dialog.findChild<QCheckBox *>(QStringLiteral("connectSaveKeyCheck"));
        QCOMPARE(url->count(), 2);
        QCOMPARE(dialog.url(), QUrl(QStringLiteral("http://prod-eu:7055")));
        QCOMPARE(key->text(), QStringLiteral("saved-key"));
        QVERIFY(save->isChecked());
        QCOMPARE(key->echoMode(), QLineEdit::Password);
        url->setCurrentIndex(1);
        QCOMPARE(key->text(), QString());
        QVERIFY(!save->isChecked());
        QCOMPARE(dialog.keyStorage(), ConnectionSettings::KeyStorage::NotSaved);
        QVERIFY(!dialog.findChild<QPushButton *>(QStringLiteral("useEmbeddedButton")));
    }

    void acceptsOnlyHttpUrlsWithAHost_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("enabled");
        QTest::addRow("http") << QStringLiteral("http://10.0.0.5:7055") << true;
        QTest::addRow("https") << QStringLiteral("https://sluice.example") << true;
        QTest::addRow("no scheme") << QStringLiteral("sluice.internal:7055") << true;
        QTest::addRow("ftp") << QStringLiteral("ftp://host") << false;
        QTest::addRow("no host") << QStringLiteral("http://") << false;
    }
    void acceptsOnlyHttpUrlsWithAHost()
    {
        QFETCH(QString, text);
        QFETCH(bool, enabled);
        ConnectDialog dialog({}, true);
        dialog.findChild<QComboBox *>(QStringLiteral("connectUrlCombo"))->setEditText(text);
        QCOMPARE(dialog.findChild<QPushButton *>(QStringLiteral("connectButton"))->isEnabled(), enabled);
    }

    void embeddedChoiceAcceptsTheDialog()
    {
        ConnectDialog dialog({}, true);
        dialog.show();
        auto *embedded = dialog.findChild<QPushButton *>(QStringLiteral("useEmbeddedButton"));
        QVERIFY(embedded);
        QTest::mouseClick(embedded, Qt::LeftButton);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QCOMPARE(dialog.choice(), ConnectDialog::Choice::Embedded);
    }
};

QTEST_MAIN(tst_ConnectDialog)
#include "tst_connectdialog.moc"
