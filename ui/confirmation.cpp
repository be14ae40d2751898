#include "confirmation.h"

#include <QMessageBox>

std::optional<Confirmation::Answer> Confirmation::s_nextAnswer;
int Confirmation::s_answeredByTest = 0;

Confirmation::Answer Confirmation::ask(QWidget *parent, const QString &title, const QString &text)
{
    if (s_nextAnswer) {
        ++s_answeredByTest;
        return *std::exchange(s_nextAnswer, std::nullopt);
    }
    const auto button = QMessageBox::question(parent, title, text, QMessageBox::Yes | QMessageBox::No,
                                              QMessageBox::No);
    return button == QMessageBox::Yes ? Answer::Yes : Answer::No;
}

void Confirmation::setNextAnswer(Answer answer)
{
    s_nextAnswer = answer;
}

int Confirmation::answeredByTest()
{
    return s_answeredByTest;
}
