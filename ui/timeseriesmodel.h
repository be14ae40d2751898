#pragma once

#include <QList>
#include <QObject>
#include <QPointF>

// One point of the traffic chart: requests per second at a wall-clock time.
struct TrafficSample
{
    qint64 timeMs = 0; // ms since the epoch (local receipt time, so the axis reads in the operator's clock)
    double allowedPerSecond = 0;
    double blockedPerSecond = 0;
};

// The bounded series behind the traffic chart: a ring buffer holding at most `capacity` samples and
// none older than `span` before the newest one. Appending is O(1) and never reallocates once full.
// No Widgets: the chart only receives data from here. GUI thread only.
class TimeSeriesModel : public QObject
{
    Q_OBJECT
public:
    explicit TimeSeriesModel(qsizetype capacity = 600, qint64 spanMs = 5 * 60 * 1000, QObject *parent = nullptr);

    qsizetype capacity() const { return m_buffer.size(); }
    qint64 spanMs() const { return m_spanMs; }
    qsizetype size() const { return m_count; }
    bool isEmpty() const { return m_count == 0; }

    // Oldest first; i in [0, size()).
    const TrafficSample &at(qsizetype i) const { return m_buffer[(m_start + i) % m_buffer.size()]; }
    const TrafficSample &latest() const { return at(m_count - 1); }

    void append(const TrafficSample &sample);
    void clear();

    // Largest rate currently held (either series); 0 when empty. Drives the y axis.
    double maximum() const;
    // Sample nearest to `timeMs`, or nullptr when empty. Drives the hover read-out.
    const TrafficSample *nearest(qint64 timeMs) const;

    QList<QPointF> allowedPoints() const;
    QList<QPointF> blockedPoints() const;

signals:
    void sampleAppended(const TrafficSample &sample);
    void cleared();

private:
    void dropFront();

    QList<TrafficSample> m_buffer;
    qsizetype m_start = 0;
    qsizetype m_count = 0;
    qint64 m_spanMs;
};
