#pragma once

#include "adminapi.h"

#include <QGroupBox>

class QFormLayout;
class QLabel;
class QProgressBar;

// The Deployment page's Redis health box: the service's last probe of its Redis (GET /admin/redis/status
// "health" and "pool"): PING latency, a used/max memory bar, the eviction policy (red when it can evict
// limiter keys), role and replication lag, connection pool usage, and the service's warnings (its own
// English text, as the API sends it) in a prominent list. It shows what it is given and never polls. GUI thread.
class RedisHealthView : public QGroupBox
{
    Q_OBJECT
public:
    explicit RedisHealthView(QWidget *parent = nullptr);

    // `status` unset: nothing received yet.
    void setStatus(const std::optional<AdminApi::RedisStatus> &status);
    void retranslate();

private:
    enum Row { LatencyRow, MemoryRow, PolicyRow, RoleRow, PoolRow, CheckedRow, RowCount };

    QFormLayout *m_form;
    QLabel *m_labels[RowCount];
    QLabel *m_latency;
    QProgressBar *m_memory;
    QLabel *m_policy;
    QLabel *m_role;
    QLabel *m_pool;
    QLabel *m_checked;
    QLabel *m_warnings;
    std::optional<AdminApi::RedisStatus> m_status;
};
