#include "topkeyschartview.h"

#include "charttheme.h"

#include <QEvent>
#include <QtCharts/QBarCategoryAxis>
#include <QtCharts/QBarSet>
#include <QtCharts/QHorizontalBarSeries>
#include <QtCharts/QValueAxis>

namespace {

constexpr double kAxisMax = 120;

QString elide(const QString &text, qsizetype length)
{
    return text.size() > length ? text.left(length - 1) + QChar(0x2026) : text;
}

// A short label that still tells keys apart, client first: "10.0.0.7", "10.0.0.7 · /v1/chat".
QString shortLabel(const AdminApi::CurrentRate &r)
{
    const QString client = elide(r.client.isEmpty() ? r.key : r.client, 18);
    if (!r.endpoint.isEmpty())
        return client + QStringLiteral(" · ") + elide(r.endpoint, 14);
    return client;
}

} // namespace

TopKeysChartView::TopKeysChartView(QWidget *parent)
    // Built with its chart: a view built without one makes a default chart that setChart() would leak.
    : QChartView(new QChart, parent)
    , m_series(new QHorizontalBarSeries)
    , m_set(new QBarSet(QString()))
    , m_axisY(new QBarCategoryAxis)
    , m_axisX(new QValueAxis)
{
    setObjectName(QStringLiteral("topKeysChartView"));
    setRenderHint(QPainter::Antialiasing);
    setFrameShape(QFrame::NoFrame);
    QChart *c = chart();
    m_series->append(m_set);
    m_series->setBarWidth(0.7);
    m_series->setLabelsVisible(true);
    m_series->setLabelsPosition(QAbstractBarSeries::LabelsOutsideEnd);
    m_series->setLabelsFormat(QStringLiteral("@value %"));
    c->addSeries(m_series);
    c->addAxis(m_axisY, Qt::AlignLeft);
    c->addAxis(m_axisX, Qt::AlignBottom);
    m_series->attachAxis(m_axisY);
    m_series->attachAxis(m_axisX);
    // The bars carry their own value labels; the axis only draws the grid, with room for a "100 %" label.
    m_axisX->setRange(0, kAxisMax);
    m_axisX->setLabelsVisible(false);
    m_axisX->setTickCount(7);
    c->legend()->setVisible(false);
    applyPalette();
}

void TopKeysChartView::setTopKeys(const QList<AdminApi::CurrentRate> &rates)
{
    const qsizetype n = std::min<qsizetype>(rates.size(), m_barCount);
    QStringList labels;
    QList<qreal> values;
    // Highest usage at the top: a horizontal bar chart draws the first category at the bottom.
    for (qsizetype i = n - 1; i >= 0; --i) {
        const AdminApi::CurrentRate &r = rates.at(i);
        labels.append(shortLabel(r));
        values.append(r.limit > 0 ? qRound(1000.0 * double(r.currentCount) / double(r.limit)) / 10.0 : 0.0);
    }
    // Labels must be unique for the category axis.
    for (qsizetype i = 0; i < labels.size(); ++i) {
        int suffix = 2;
        const QString base = labels.at(i);
        while (labels.indexOf(labels.at(i)) < i)
            labels[i] = base + QStringLiteral(" (%1)").arg(suffix++);
    }
    if (labels != m_axisY->categories()) {
        m_axisY->clear();
        m_axisY->append(labels);
    }
    if (m_set->count() != values.size()) {
        m_set->remove(0, m_set->count());
        m_set->append(values);
    } else {
        for (qsizetype i = 0; i < values.size(); ++i) {
            if (m_set->at(i) != values.at(i))
                m_set->replace(i, values.at(i));
        }
    }
    double maxValue = 100;
    for (qreal v : values)
        maxValue = std::max(maxValue, v);
    m_axisX->setRange(0, maxValue * kAxisMax / 100);
}

QStringList TopKeysChartView::categories() const
{
    return m_axisY->categories();
}

void TopKeysChartView::applyPalette()
{
    ChartTheme::apply(chart(), palette());
    setBackgroundBrush(palette().color(QPalette::Base));
    m_set->setColor(QColor(0x42, 0x85, 0xf4));
    m_set->setBorderColor(QColor(0x42, 0x85, 0xf4));
    m_set->setLabelColor(palette().color(QPalette::Text));
    QColor grid = palette().color(QPalette::Mid);
    grid.setAlpha(90);
    m_axisX->setGridLineColor(grid);
    m_axisY->setGridLineVisible(false);
    m_axisX->setLabelsColor(palette().color(QPalette::Text));
    m_axisY->setLabelsColor(palette().color(QPalette::Text));
}

void TopKeysChartView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::LanguageChange)
        applyPalette();
    QChartView::changeEvent(event);
}
