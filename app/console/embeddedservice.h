#pragma once

#include "serviceconfig.h"

#include <QString>
#include <QThread>
#include <QUrl>

class SluiceService;

// Runs a SluiceService on its own thread so that traffic through the embedded service never competes
// with the console's event loop (and a busy console never delays a rate-limit decision). The service
// is created, started, stopped and destroyed on that thread; the GUI talks to it over HTTP only.
class EmbeddedService
{
public:
    explicit EmbeddedService(ServiceConfig config);
    ~EmbeddedService();

    bool start(QString *errorMessage);
    void stop();

    QUrl baseUrl() const { return m_baseUrl; }
    QString adminKey() const { return m_adminKey; }

private:
    ServiceConfig m_config;
    QThread m_thread;
    QObject *m_context = nullptr; // lives on m_thread; owns nothing, used to run code there
    SluiceService *m_service = nullptr;
    QUrl m_baseUrl;
    QString m_adminKey;
};
