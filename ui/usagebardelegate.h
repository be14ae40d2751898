#pragma once

#include <QStyledItemDelegate>

// Paints KeyUsageModel::UsageRole as a horizontal bar with the percentage on it: green below 70 %,
// amber below 90 %, red from 90 % (the operator's eye goes to the keys about to be blocked).
class UsageBarDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    static QColor colorFor(double usage);
};
