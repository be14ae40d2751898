#pragma once

#include <QList>
#include <QString>

class QSettings;

// Recent connections of the console, kept in QSettings. The admin key is stored only when the
// operator ticked "save the key in plain text" for that connection; otherwise only the URL is kept.
// Not thread-safe (QSettings from the GUI thread).
class ConnectionSettings
{
public:
    enum class KeyStorage { NotSaved, SavedInPlainText };
    struct Recent
    {
        QString url;
        QString adminKey; // empty unless keyStorage == SavedInPlainText
        KeyStorage keyStorage = KeyStorage::NotSaved;
    };

    explicit ConnectionSettings(QSettings &settings) : m_settings(settings) {}

    QList<Recent> recent() const;
    // Moves `url` to the front of the list (at most maxRecent() entries).
    void remember(const QString &url, const QString &adminKey, KeyStorage storage);
    void forget(const QString &url);

    static int maxRecent() { return 8; }

private:
    void write(const QList<Recent> &list);

    QSettings &m_settings;
};
