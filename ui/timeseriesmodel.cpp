#include "timeseriesmodel.h"

#include <algorithm>

TimeSeriesModel::TimeSeriesModel(qsizetype capacity, qint64 spanMs, QObject *parent)
    : QObject(parent)
    , m_buffer(std::max<qsizetype>(capacity, 1))
    , m_spanMs(spanMs)
{
}

void TimeSeriesModel::append(const TrafficSample &sample)
{
    // Time must not run backwards inside the buffer; a jump back (clock change) starts afresh.
    if (m_count > 0 && sample.timeMs < latest().timeMs)
        clear();
    if (m_count == m_buffer.size())
        dropFront();
    m_buffer[(m_start + m_count) % m_buffer.size()] = sample;
    ++m_count;
    while (m_count > 1 && at(0).timeMs < sample.timeMs - m_spanMs)
        dropFront();
    emit sampleAppended(sample);
}

void TimeSeriesModel::clear()
{
    m_start = 0;
    m_count = 0;
    emit cleared();
}

void TimeSeriesModel::dropFront()
{
    m_start = (m_start + 1) % m_buffer.size();
    --m_count;
}

double TimeSeriesModel::maximum() const
{
    double result = 0;
    for (qsizetype i = 0; i < m_count; ++i)
        result = std::max({result, at(i).allowedPerSecond, at(i).blockedPerSecond});
    return result;
}

const TrafficSample *TimeSeriesModel::nearest(qint64 timeMs) const
{
    if (m_count == 0)
        return nullptr;
    // Samples are in time order: binary search on the logical index.
    qsizetype lo = 0, hi = m_count - 1;
    while (lo < hi) {
        const qsizetype mid = (lo + hi) / 2;
        if (at(mid).timeMs < timeMs)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo > 0 && timeMs - at(lo - 1).timeMs <= at(lo).timeMs - timeMs)
        --lo;
    return &at(lo);
}

QList<QPointF> TimeSeriesModel::allowedPoints() const
{
    QList<QPointF> points;
    points.reserve(m_count);
    for (qsizetype i = 0; i < m_count; ++i)
        points.append(QPointF(double(at(i).timeMs), at(i).allowedPerSecond));
    return points;
}

QList<QPointF> TimeSeriesModel::blockedPoints() const
{
    QList<QPointF> points;
    points.reserve(m_count);
    for (qsizetype i = 0; i < m_count; ++i)
        points.append(QPointF(double(at(i).timeMs), at(i).blockedPerSecond));
    return points;
}
