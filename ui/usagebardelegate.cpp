#include "usagebardelegate.h"

#include "keyusagemodel.h"

#include <QApplication>
#include <QPainter>

QColor UsageBarDelegate::colorFor(double usage)
{
    if (usage >= 0.9)
        return QColor(0xe5, 0x39, 0x35);
    if (usage >= 0.7)
        return QColor(0xfb, 0x8c, 0x00);
    return QColor(0x43, 0xa0, 0x47);
}

void UsageBarDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const double usage = index.data(KeyUsageModel::UsageRole).toDouble();
    const QRect track = option.rect.adjusted(4, 5, -4, -5);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    QColor trackColor = option.palette.color(QPalette::Mid);
    trackColor.setAlpha(70);
    painter->setPen(Qt::NoPen);
    painter->setBrush(trackColor);
    painter->drawRoundedRect(track, 3, 3);
    QRect fill = track;
    fill.setWidth(int(track.width() * std::clamp(usage, 0.0, 1.0)));
    painter->setBrush(colorFor(usage));
    if (fill.width() > 0)
        painter->drawRoundedRect(fill, 3, 3);
    painter->setPen(option.state & QStyle::State_Selected ? option.palette.color(QPalette::HighlightedText)
                                                          : option.palette.color(QPalette::Text));
    painter->drawText(track, Qt::AlignCenter, index.data(Qt::DisplayRole).toString());
    painter->restore();
}
