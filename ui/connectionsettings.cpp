#include "connectionsettings.h"

#include <QSettings>

QList<ConnectionSettings::Recent> ConnectionSettings::recent() const
{
    QList<Recent> list;
    const int n = m_settings.beginReadArray(QStringLiteral("connections/recent"));
    for (int i = 0; i < n; ++i) {
        m_settings.setArrayIndex(i);
        Recent r;
        r.url = m_settings.value(QStringLiteral("url")).toString();
        if (m_settings.value(QStringLiteral("keySaved")).toBool()) {
            r.keyStorage = KeyStorage::SavedInPlainText;
            r.adminKey = m_settings.value(QStringLiteral("adminKey")).toString();
        }
        if (!r.url.isEmpty())
            list.append(r);
    }
    m_settings.endArray();
    return list;
}

void ConnectionSettings::remember(const QString &url, const QString &adminKey, KeyStorage storage)
{
    QList<Recent> list = recent();
    list.removeIf([&](const Recent &r) { return r.url == url; });
    Recent entry{url, storage == KeyStorage::SavedInPlainText ? adminKey : QString(), storage};
    list.prepend(entry);
    while (list.size() > maxRecent())
        list.removeLast();
    write(list);
}

void ConnectionSettings::forget(const QString &url)
{
    QList<Recent> list = recent();
    list.removeIf([&](const Recent &r) { return r.url == url; });
    write(list);
}

void ConnectionSettings::write(const QList<Recent> &list)
{
    m_settings.remove(QStringLiteral("connections/recent"));
    m_settings.beginWriteArray(QStringLiteral("connections/recent"), int(list.size()));
    for (int i = 0; i < list.size(); ++i) {
        m_settings.setArrayIndex(i);
        m_settings.setValue(QStringLiteral("url"), list.at(i).url);
        const bool saved = list.at(i).keyStorage == KeyStorage::SavedInPlainText;
        m_settings.setValue(QStringLiteral("keySaved"), saved);
        if (saved)
            m_settings.setValue(QStringLiteral("adminKey"), list.at(i).adminKey);
    }
    m_settings.endArray();
    m_settings.sync();
}
