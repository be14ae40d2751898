#pragma once

#include "timeseriesmodel.h"

#include <QtCharts/QChartView>

class QDateTimeAxis;
class QGraphicsLineItem;
class QGraphicsSimpleTextItem;
class QLineSeries;
class QValueAxis;

// Scrolling chart of allowed and blocked requests per second. It only receives data: samples come
// from a TimeSeriesModel through appendSample(), and all samples appended in one event-loop turn
// are drawn with one replace() per series. The axes are set explicitly after every batch (the x axis
// spans the model's window ending at the newest sample, the y axis a rounded maximum), because
// createDefaultAxes() does not follow new data. Moving the mouse over the plot shows the values of the
// nearest sample. GUI thread only.
class TrafficChartView : public QChartView
{
    Q_OBJECT
public:
    explicit TrafficChartView(QWidget *parent = nullptr);

    void setModel(const TimeSeriesModel *model);
    // Text of the hover read-out ("" when the mouse is not over data).
    QString hoverText() const;
    // Shows the read-out for the sample nearest to `timeMs` (what a mouse move does).
    void showValuesAt(qint64 timeMs);

    // Rounds a maximum up to 1, 2 or 5 times a power of ten so that the y axis ticks read well.
    static double niceCeiling(double value);

public slots:
    void appendSample(const TrafficSample &sample);

protected:
    void mouseMoveEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void flush();
    void applyPalette();
    void hideHover();

    const TimeSeriesModel *m_model = nullptr;
    QLineSeries *m_allowed;
    QLineSeries *m_blocked;
    QDateTimeAxis *m_axisX;
    QValueAxis *m_axisY;
    QGraphicsLineItem *m_marker;
    QGraphicsSimpleTextItem *m_readout;
    bool m_flushPending = false;
};
