#include "trafficchartview.h"

#include "charttheme.h"

#include <QDateTime>
#include <QGraphicsLineItem>
#include <QGraphicsSimpleTextItem>
#include <QMouseEvent>
#include <QTimer>
#include <QtCharts/QDateTimeAxis>
#include <QtCharts/QLineSeries>
#include <QtCharts/QValueAxis>

#include <algorithm>
#include <cmath>

namespace {
constexpr qint64 kMinimumSpanMs = 60 * 1000;
}

TrafficChartView::TrafficChartView(QWidget *parent)
    // Built with its chart: a view built without one makes a default chart that setChart() would leak.
    : QChartView(new QChart, parent)
    , m_allowed(new QLineSeries)
    , m_blocked(new QLineSeries)
    , m_axisX(new QDateTimeAxis)
    , m_axisY(new QValueAxis)
{
    setObjectName(QStringLiteral("trafficChartView"));
    setRenderHint(QPainter::Antialiasing);
    setMouseTracking(true);
    setFrameShape(QFrame::NoFrame);
    QChart *c = chart();
    c->legend()->setAlignment(Qt::AlignTop);
    c->addSeries(m_allowed);
    c->addSeries(m_blocked);
    c->addAxis(m_axisX, Qt::AlignBottom);
    c->addAxis(m_axisY, Qt::AlignLeft);
    for (QLineSeries *s : {m_allowed, m_blocked}) {
        s->attachAxis(m_axisX);
        s->attachAxis(m_axisY);
        s->setUseOpenGL(false);
    }
    m_axisX->setFormat(QStringLiteral("HH:mm:ss"));
    m_axisX->setTickCount(6);
    m_axisY->setLabelFormat(QStringLiteral("%.0f"));
    m_axisY->setTickCount(5);
    m_marker = new QGraphicsLineItem(c);
    m_marker->setZValue(20);
    m_readout = new QGraphicsSimpleTextItem(c);
    m_readout->setZValue(21);
    hideHover();
    applyPalette();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    m_axisX->setRange(QDateTime::fromMSecsSinceEpoch(now - 5 * 60 * 1000), QDateTime::fromMSecsSinceEpoch(now));
    m_axisY->setRange(0, 10);
}

void TrafficChartView::setModel(const TimeSeriesModel *model)
{
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    m_model = model;
    if (m_model) {
        connect(m_model, &TimeSeriesModel::sampleAppended, this, &TrafficChartView::appendSample);
        connect(m_model, &TimeSeriesModel::cleared, this, [this] { appendSample({}); });
    }
    flush();
}

void TrafficChartView::appendSample(const TrafficSample &)
{
    // Coalesce: however many samples arrive in this event-loop turn, the series are replaced once.
    if (m_flushPending)
        return;
    m_flushPending = true;
    QTimer::singleShot(0, this, &TrafficChartView::flush);
}

double TrafficChartView::niceCeiling(double value)
{
    if (value <= 0)
        return 10;
    const double magnitude = std::pow(10.0, std::floor(std::log10(value)));
    for (double step : {1.0, 2.0, 5.0, 10.0}) {
        if (value <= step * magnitude)
            return std::max(10.0, step * magnitude);
    }
    return std::max(10.0, 10 * magnitude);
}

void TrafficChartView::flush()
{
    m_flushPending = false;
    if (!m_model)
        return;
    m_allowed->replace(m_model->allowedPoints());
    m_blocked->replace(m_model->blockedPoints());
    // The x axis ends at the newest sample and starts at the oldest one (at least a minute, at most
    // the model's span), so a fresh session does not squeeze its first seconds into a corner.
    const qint64 end = m_model->isEmpty() ? QDateTime::currentMSecsSinceEpoch() : m_model->latest().timeMs;
    const qint64 first = m_model->isEmpty() ? end : m_model->at(0).timeMs;
    const qint64 width = std::clamp<qint64>(end - first, kMinimumSpanMs, m_model->spanMs());
    m_axisX->setRange(QDateTime::fromMSecsSinceEpoch(end - width), QDateTime::fromMSecsSinceEpoch(end));
    // 10 % headroom so the line never runs along the top edge; ticks on round values (a ceiling of
    // 2·10^k splits into 4 intervals, 1·10^k and 5·10^k into 5).
    const double ceiling = niceCeiling(m_model->maximum() * 1.1);
    m_axisY->setRange(0, ceiling);
    const double leading = ceiling / std::pow(10.0, std::floor(std::log10(ceiling)));
    m_axisY->setTickCount(qFuzzyCompare(leading, 2.0) ? 5 : 6);
}

void TrafficChartView::applyPalette()
{
    ChartTheme::apply(chart(), palette());
    setBackgroundBrush(palette().color(QPalette::Base));
    m_allowed->setName(tr("Allowed/s"));
    m_blocked->setName(tr("Blocked/s"));
    QPen allowedPen(ChartTheme::allowedColor(), 2);
    QPen blockedPen(ChartTheme::blockedColor(), 2);
    m_allowed->setPen(allowedPen);
    m_blocked->setPen(blockedPen);
    m_axisY->setTitleText(tr("requests / s"));
    QColor grid = palette().color(QPalette::Mid);
    grid.setAlpha(90);
    for (QAbstractAxis *axis : {static_cast<QAbstractAxis *>(m_axisX), static_cast<QAbstractAxis *>(m_axisY)}) {
        axis->setGridLineColor(grid);
        axis->setLabelsColor(palette().color(QPalette::Text));
        axis->setTitleBrush(palette().color(QPalette::Text));
    }
    QPen markerPen(palette().color(QPalette::Text));
    markerPen.setStyle(Qt::DashLine);
    m_marker->setPen(markerPen);
    m_readout->setBrush(palette().color(QPalette::Text));
}

void TrafficChartView::showValuesAt(qint64 timeMs)
{
    const TrafficSample *sample = m_model ? m_model->nearest(timeMs) : nullptr;
    if (!sample) {
        hideHover();
        return;
    }
    const QPointF top = chart()->mapToPosition(QPointF(double(sample->timeMs), m_axisY->max()), m_allowed);
    const QPointF bottom = chart()->mapToPosition(QPointF(double(sample->timeMs), 0), m_allowed);
    m_marker->setLine(QLineF(top, bottom));
    m_marker->setVisible(true);
    m_readout->setText(tr("%1  allowed %2/s  blocked %3/s")
                           .arg(QDateTime::fromMSecsSinceEpoch(sample->timeMs).toString(QStringLiteral("HH:mm:ss")))
                           .arg(sample->allowedPerSecond, 0, 'f', 1)
                           .arg(sample->blockedPerSecond, 0, 'f', 1));
    const QRectF plot = chart()->plotArea();
    QPointF at(top.x() + 6, plot.top() + 4);
    if (at.x() + m_readout->boundingRect().width() > plot.right())
        at.setX(top.x() - 6 - m_readout->boundingRect().width());
    m_readout->setPos(at);
    m_readout->setVisible(true);
}

QString TrafficChartView::hoverText() const
{
    return m_readout->isVisible() ? m_readout->text() : QString();
}

void TrafficChartView::hideHover()
{
    m_marker->setVisible(false);
    m_readout->setVisible(false);
}

void TrafficChartView::mouseMoveEvent(QMouseEvent *event)
{
    const QPointF scenePos = mapToScene(event->position().toPoint());
    const QPointF chartPos = chart()->mapFromScene(scenePos);
    if (chart()->plotArea().contains(chartPos))
        showValuesAt(qint64(chart()->mapToValue(chartPos, m_allowed).x()));
    else
        hideHover();
    QChartView::mouseMoveEvent(event);
}

void TrafficChartView::leaveEvent(QEvent *event)
{
    hideHover();
    QChartView::leaveEvent(event);
}

void TrafficChartView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::LanguageChange)
        applyPalette();
    QChartView::changeEvent(event);
}

void TrafficChartView::resizeEvent(QResizeEvent *event)
{
    hideHover();
    QChartView::resizeEvent(event);
}
