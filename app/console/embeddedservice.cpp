#include "embeddedservice.h"

#include "sluiceservice.h"

#include <QRandomGenerator>

EmbeddedService::EmbeddedService(ServiceConfig config)
    : m_config(std::move(config))
{
    // The embedded admin API needs a key; without a configured one, a random key known only to this
    // process keeps other local users out of it.
    if (m_config.adminKeys.isEmpty()) {
        QByteArray key(24, Qt::Uninitialized);
        QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(key.data()), key.size() / 4);
        m_config.adminKeys.append(key.toHex());
    }
    m_adminKey = QString::fromLatin1(m_config.adminKeys.constFirst());
    m_thread.setObjectName(QStringLiteral("embedded-service"));
}

EmbeddedService::~EmbeddedService()
{
    stop();
}

bool EmbeddedService::start(QString *errorMessage)
{
    m_thread.start();
    m_context = new QObject;
    m_context->moveToThread(&m_thread);
    bool ok = false;
    QMetaObject::invokeMethod(
        m_context,
        [&] {
            m_service = new SluiceService(m_config);
            ok = m_service->start(errorMessage);
            if (ok)
                m_baseUrl = m_service->baseUrl();
        },
        Qt::BlockingQueuedConnection);
    if (!ok)
        stop();
    return ok;
}

void EmbeddedService::stop()
{
    if (!m_thread.isRunning())
        return;
    QMetaObject::invokeMethod(
        m_context,
        [this] {
            if (m_service)
                m_service->stop();
            delete m_service;
            m_service = nullptr;
            delete m_context;
            m_context = nullptr;
        },
        Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}
