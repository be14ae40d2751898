#pragma once

#include <QObject>
#include <QSocketNotifier>

#include <async.h>

// Drives one hiredis async context from the Qt event loop: hiredis asks for read/write interest
// through the ev hooks, and socket notifiers call redisAsyncHandleRead/Write.
//
// Replaces hiredis' stock adapters/qt.h, which has three lifetime bugs in 0.14.1 (see
// /work/shared/notes/qt64-probe.md §3d) and is not seen by AUTOMOC in a system header.
// Lifetime rules this class makes safe:
//  - hiredis frees the context (drop, failed connect): ev.cleanup runs first and detaches us, so a
//    later destruction (deleteLater) does not touch freed memory;
//  - we are destroyed while the context lives: the destructor detaches every hook, so hiredis never
//    calls into a dead adapter.
// Attach it BEFORE redisAsyncSetConnectCallback(), which asks for write interest at once.
// Lives in the thread of the context's owner; not thread-safe.
class QtRedisAdapter : public QObject
{
    Q_OBJECT

public:
    explicit QtRedisAdapter(redisAsyncContext *ac, QObject *parent = nullptr) : QObject(parent), m_ctx(ac)
    {
        ac->ev.data = this;
        ac->ev.addRead = [](void *d) {
            auto *a = static_cast<QtRedisAdapter *>(d);
            a->enable(a->m_read, QSocketNotifier::Read);
        };
        ac->ev.delRead = [](void *d) { disable(static_cast<QtRedisAdapter *>(d)->m_read); };
        ac->ev.addWrite = [](void *d) {
            auto *a = static_cast<QtRedisAdapter *>(d);
            a->enable(a->m_write, QSocketNotifier::Write);
        };
        ac->ev.delWrite = [](void *d) { disable(static_cast<QtRedisAdapter *>(d)->m_write); };
        ac->ev.cleanup = [](void *d) {
            auto *a = static_cast<QtRedisAdapter *>(d);
            disable(a->m_read);
            disable(a->m_write);
            a->m_ctx = nullptr; // hiredis frees the context right after this hook
        };
    }

    ~QtRedisAdapter() override { detach(); }

    // Unhooks from a context that stays alive (to be freed later by hiredis), so that hiredis never
    // calls into this object again; safe to delete (later) afterwards.
    void detach()
    {
        if (!m_ctx)
            return;
        m_ctx->ev.data = nullptr;
        m_ctx->ev.addRead = nullptr;
        m_ctx->ev.delRead = nullptr;
        m_ctx->ev.addWrite = nullptr;
        m_ctx->ev.delWrite = nullptr;
        m_ctx->ev.cleanup = nullptr;
        m_ctx = nullptr;
        disable(m_read);
        disable(m_write);
    }

private:
    static void disable(QSocketNotifier *n)
    {
        if (n)
            n->setEnabled(false);
    }

    void enable(QSocketNotifier *&n, QSocketNotifier::Type type)
    {
        if (!n) {
            n = new QSocketNotifier(m_ctx->c.fd, type, this);
            connect(n, &QSocketNotifier::activated, this, [this, type] {
                if (!m_ctx)
                    return;
                // Nothing may touch `this` after these calls: a callback may have destroyed us.
                if (type == QSocketNotifier::Read)
                    redisAsyncHandleRead(m_ctx);
                else
                    redisAsyncHandleWrite(m_ctx);
            });
        }
        n->setEnabled(true);
    }

    redisAsyncContext *m_ctx;
    QSocketNotifier *m_read = nullptr;
    QSocketNotifier *m_write = nullptr;
};
