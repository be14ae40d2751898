#pragma once

#include <QString>

#include <optional>

class QWidget;

// The one seam through which the console asks the operator to confirm a destructive action.
// Normally a modal question box; a test sets the next answer instead, so GUI tests can drive
// "clear key" end to end without a dialog. GUI thread only.
class Confirmation
{
public:
    enum class Answer { Yes, No };

    static Answer ask(QWidget *parent, const QString &title, const QString &text);
    // The next ask() returns `answer` at once (once); for tests.
    static void setNextAnswer(Answer answer);
    // How many questions were answered through setNextAnswer() so far; tests assert the seam was used.
    static int answeredByTest();

private:
    static std::optional<Answer> s_nextAnswer;
    static int s_answeredByTest;
};
