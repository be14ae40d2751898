#include "connectdialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QIcon>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

ConnectDialog::ConnectDialog(const QList<ConnectionSettings::Recent> &recent, bool embeddedAvailable, QWidget *parent)
    : QDialog(parent)
    , m_recent(recent)
    , m_url(new QComboBox(this))
    , m_key(new QLineEdit(this))
    , m_saveKey(new QCheckBox(tr("Save the admin key on this computer (stored in plain text)"), this))
    , m_hint(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("connectDialog"));
    setWindowTitle(tr("Connect to a Sluice service"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/connect.svg")));
    m_url->setObjectName(QStringLiteral("connectUrlCombo"));
    m_url->setEditable(true);
    m_url->lineEdit()->setPlaceholderText(QStringLiteral("http://sluice.example:8080"));
    for (const ConnectionSettings::Recent &r : recent)
        m_url->addItem(r.url);
    m_key->setObjectName(QStringLiteral("connectAdminKeyEdit"));
    m_key->setEchoMode(QLineEdit::Password);
    m_key->setPlaceholderText(tr("value of ADMIN_KEY on the server"));
    m_saveKey->setObjectName(QStringLiteral("connectSaveKeyCheck"));
    m_hint->setObjectName(QStringLiteral("connectHint"));
    m_hint->setWordWrap(true);

    auto *form = new QFormLayout;
    form->addRow(tr("Service URL:"), m_url);
    form->addRow(tr("Admin key:"), m_key);
    form->addRow(QString(), m_saveKey);

    auto *connectButton = m_buttons->addButton(tr("Connect"), QDialogButtonBox::AcceptRole);
    connectButton->setObjectName(QStringLiteral("connectButton"));
    connectButton->setDefault(true);
    if (embeddedAvailable) {
        m_embedded = m_buttons->addButton(tr("Use embedded service"), QDialogButtonBox::ActionRole);
        m_embedded->setObjectName(QStringLiteral("useEmbeddedButton"));
        connect(m_embedded, &QPushButton::clicked, this, [this] {
            m_choice = Choice::Embedded;
            accept();
        });
    }
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        m_choice = Choice::Remote;
        accept();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_url, &QComboBox::currentIndexChanged, this, &ConnectDialog::fillFromRecent);
    connect(m_url, &QComboBox::editTextChanged, this, &ConnectDialog::validate);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_hint);
    layout->addWidget(m_buttons);
    resize(520, sizeHint().height());
    fillFromRecent(m_url->currentIndex());
    validate();
}

QUrl ConnectDialog::url() const
{
    QString text = m_url->currentText().trimmed();
    if (!text.contains(QStringLiteral("://")))
        text.prepend(QStringLiteral("http://"));
    return QUrl(text, QUrl::StrictMode);
}

QString ConnectDialog::adminKey() const
{
    return m_key->text();
}

ConnectionSettings::KeyStorage ConnectDialog::keyStorage() const
{
    return m_saveKey->isChecked() ? ConnectionSettings::KeyStorage::SavedInPlainText
                                  : ConnectionSettings::KeyStorage::NotSaved;
}

void ConnectDialog::fillFromRecent(int index)
{
    if (index < 0 || index >= m_recent.size())
        return;
    const ConnectionSettings::Recent &r = m_recent.at(index);
    const bool saved = r.keyStorage == ConnectionSettings::KeyStorage::SavedInPlainText;
    m_key->setText(saved ? r.adminKey : QString());
    m_saveKey->setChecked(saved);
}

void ConnectDialog::validate()
{
    const QUrl u = url();
    const bool ok = u.isValid() && (u.scheme() == QLatin1String("http") || u.scheme() == QLatin1String("https"))
                    && !u.host().isEmpty();
    for (QAbstractButton *b : m_buttons->buttons()) {
        if (m_buttons->buttonRole(b) == QDialogButtonBox::AcceptRole)
            b->setEnabled(ok);
    }
    m_hint->setText(ok || m_url->currentText().isEmpty() ? QString()
                                                         : tr("Enter an http:// or https:// URL with a host name."));
}
