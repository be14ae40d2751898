#include "redishealthview.h"

#include <QFormLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QVBoxLayout>

namespace {

const QString kNone = QStringLiteral("–");
const QString kErrorStyle = QStringLiteral("color: #d32f2f; font-weight: 600;");

QString milliseconds(double ms)
{
    return QLocale().toString(ms, 'f', ms < 10 ? 2 : 1);
}

} // namespace

RedisHealthView::RedisHealthView(QWidget *parent)
    : QGroupBox(parent)
    , m_form(new QFormLayout)
    , m_latency(new QLabel(kNone, this))
    , m_memory(new QProgressBar(this))
    , m_policy(new QLabel(kNone, this))
    , m_role(new QLabel(kNone, this))
    , m_pool(new QLabel(kNone, this))
    , m_checked(new QLabel(kNone, this))
    , m_warnings(new QLabel(this))
{
    setObjectName(QStringLiteral("redisHealthBox"));
    m_latency->setObjectName(QStringLiteral("redisLatencyValue"));
    m_memory->setObjectName(QStringLiteral("redisMemoryBar"));
    m_memory->setRange(0, 1000);
    m_memory->setValue(0);
    m_memory->setTextVisible(true);
    m_policy->setObjectName(QStringLiteral("redisPolicyValue"));
    m_role->setObjectName(QStringLiteral("redisRoleValue"));
    m_pool->setObjectName(QStringLiteral("redisPoolUsageValue"));
    m_checked->setObjectName(QStringLiteral("redisCheckedValue"));
    m_warnings->setObjectName(QStringLiteral("redisWarningsLabel"));
    m_warnings->setWordWrap(true);
    m_warnings->setTextFormat(Qt::PlainText);
    m_warnings->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_warnings->hide();
    QWidget *values[] = {m_latency, m_memory, m_policy, m_role, m_pool, m_checked};
    for (int i = 0; i < RowCount; ++i) {
        m_labels[i] = new QLabel(this);
        if (auto *label = qobject_cast<QLabel *>(values[i])) {
            label->setWordWrap(true);
            label->setTextInteractionFlags(Qt::TextSelectableByMouse);
        }
        m_form->addRow(m_labels[i], values[i]);
    }
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_warnings);
    layout->addLayout(m_form);
    layout->addStretch();
    retranslate();
}

void RedisHealthView::setStatus(const std::optional<AdminApi::RedisStatus> &status)
{
    m_status = status;
    retranslate();
}

void RedisHealthView::retranslate()
{
    setTitle(tr("Redis health"));
    const QString labels[] = {tr("Latency:"), tr("Memory:"), tr("Eviction policy:"), tr("Role:"), tr("Pool:"),
                              tr("Sampled:")};
    for (int i = 0; i < RowCount; ++i)
        m_labels[i]->setText(labels[i]);

    const AdminApi::RedisHealth *h = m_status && m_status->health ? &*m_status->health : nullptr;
    const QLocale locale;
    m_latency->setText(h ? tr("%1 ms (average %2, max %3)")
                               .arg(milliseconds(h->latencyMs), milliseconds(h->latencyAvgMs), milliseconds(h->latencyMaxMs))
                         : kNone);

    if (h && h->maxmemoryBytes > 0) {
        const double ratio = h->memoryUsageRatio.value_or(double(h->usedMemoryBytes) / double(h->maxmemoryBytes));
        m_memory->setValue(int(std::clamp(ratio, 0.0, 1.0) * 1000));
        m_memory->setFormat(tr("%1 of %2 (%3 %)")
                                .arg(locale.formattedDataSize(h->usedMemoryBytes), locale.formattedDataSize(h->maxmemoryBytes))
                                .arg(qRound(ratio * 100)));
    } else {
        m_memory->setValue(0);
        m_memory->setFormat(h ? tr("%1, no maxmemory").arg(locale.formattedDataSize(h->usedMemoryBytes)) : kNone);
    }

    if (!h) {
        m_policy->setText(kNone);
        m_policy->setStyleSheet(QString());
    } else if (h->evictionRisk) {
        m_policy->setText(tr("%1: can evict rate-limit keys, which resets their limits").arg(h->maxmemoryPolicy));
        m_policy->setStyleSheet(kErrorStyle);
    } else {
        m_policy->setText(h->evictedKeys > 0 ? tr("%1, %2 keys evicted").arg(h->maxmemoryPolicy, locale.toString(h->evictedKeys))
                                             : h->maxmemoryPolicy);
        m_policy->setStyleSheet(QString());
    }

    QString role = kNone;
    if (h) {
        if (h->role == QLatin1String("replica"))
            role = h->masterLinkUp.value_or(true) ? tr("replica, link to the master up") : tr("replica, link to the master down");
        else
            role = tr("%1, %n replica(s)", nullptr, h->connectedReplicas).arg(h->role);
        if (h->replicationLagSeconds)
            role += QLatin1Char(' ') + tr("lag %1 s").arg(locale.toString(*h->replicationLagSeconds, 'f', 1));
        if (h->replicationLagBytes)
            role += QLatin1Char(' ') + tr("(%1 behind)").arg(locale.formattedDataSize(*h->replicationLagBytes));
    }
    m_role->setText(role);

    const std::optional<AdminApi::RedisPool> pool = m_status ? m_status->pool : std::nullopt;
    m_pool->setText(pool ? tr("%1 of %2 connections ready; in flight: %3, peak %4")
                               .arg(pool->ready).arg(pool->size).arg(pool->inFlight).arg(pool->maxInFlight)
                         : kNone);

    if (!m_status || !m_status->enabled)
        m_checked->setText(m_status ? tr("Redis not configured") : kNone);
    else if (!h || !h->checkedAt.isValid())
        m_checked->setText(tr("no sample yet"));
    else
        m_checked->setText(tr("%1 s ago, Redis %2").arg(locale.toString(double(h->ageMs) / 1000.0, 'f', 1), h->redisVersion));

    const QStringList warnings = h ? h->warnings : QStringList();
    m_warnings->setVisible(!warnings.isEmpty());
    m_warnings->setText(QStringLiteral("⚠ ") + warnings.join(QStringLiteral("\n⚠ ")));
    m_warnings->setStyleSheet(h && h->evictionRisk ? kErrorStyle : QStringLiteral("color: #e68a00; font-weight: 600;"));
}
