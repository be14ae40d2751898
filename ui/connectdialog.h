#pragma once

#include "connectionsettings.h"

#include <QDialog>
#include <QUrl>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;

// Asks for the service to watch: a remote sluice-server (URL + admin key, recent URLs offered) or,
// when the console embeds one, the embedded service. Saving the admin key is opt-in and says that
// it is stored in plain text.
class ConnectDialog : public QDialog
{
    Q_OBJECT
public:
    enum class Choice { Remote, Embedded };

    ConnectDialog(const QList<ConnectionSettings::Recent> &recent, bool embeddedAvailable, QWidget *parent = nullptr);

    Choice choice() const { return m_choice; }
    QUrl url() const;
    QString adminKey() const;
    ConnectionSettings::KeyStorage keyStorage() const;

private:
    void fillFromRecent(int index);
    void validate();

    QList<ConnectionSettings::Recent> m_recent;
    QComboBox *m_url;
    QLineEdit *m_key;
    QCheckBox *m_saveKey;
    QLabel *m_hint;
    QDialogButtonBox *m_buttons;
    QPushButton *m_embedded = nullptr;
    Choice m_choice = Choice::Remote;
};
