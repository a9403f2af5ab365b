// The Translation lesson: a recurrent encoder-decoder with attention translating the synthetic zh->en
// corpus. Docks: Translation (source editor, step-by-step decoding, cross-attention heatmap), Beam tree of
// the translator, Teacher forcing vs free running (exposure bias), RNN inspector (character LSTM).
#include "app/gui/lesson.h"
#include "app/gui/mainwindow.h"
#include "app/gui/rnninspectorcontroller.h"
#include "app/gui/teacherforcingcontroller.h"
#include "app/gui/translationcontroller.h"
#include "core/error.h"
#include "widgets/beamtreeview.h"
#include "widgets/rnninspectorview.h"
#include "widgets/teacherforcingview.h"
#include "widgets/translationview.h"

#include <QCheckBox>

namespace arlab {

class TranslationLesson : public Lesson {
    Q_OBJECT
public:
    explicit TranslationLesson(MainWindow& win);
    bool step(int n) override {
        m_ctl->steps(n);
        return true;
    }
    void openModel(const ar::OpenedModel& model, const QString& path) override {
        (void)path;
        m_ctl->setModel(model.translator);
    }

private:
    TranslationController* m_ctl = nullptr;
};

TranslationLesson::TranslationLesson(MainWindow& win) : Lesson(win) {
    auto* view = new TranslationView;
    m_ctl = new TranslationController(view, this);
    auto* ctl = m_ctl;
    win.addDock(view, "translationDock", Qt::LeftDockWidgetArea, QSize(640, 0));

    auto* beam = new BeamTreeView;
    beam->setObjectName("translationBeamTree");
    win.addDock(beam, "translationBeamDock", Qt::RightDockWidgetArea, QSize(520, 290));
    QObject::connect(ctl, &TranslationController::beamTreeReady, beam,
                     [beam](const ar::BeamTree& tree, const std::vector<QString>& vocab, const QString& root, int best) {
                         beam->setTree(tree, vocab, root, best);
                         beam->fitAll();
                     });
    QObject::connect(ctl, &TranslationController::message, &win, [&win](const QString& m) { win.showMessage(m); });

    auto* tf = new TeacherForcingView;
    auto* tfCtl = new TeacherForcingController(tf, {{tr("early checkpoint (250 steps)"), ":/models/zh-en-seq2seq-early.safetensors"},
                                                    {tr("fully trained (1500 steps)"), ":/models/zh-en-seq2seq.safetensors"}},
                                               this);
    QObject::connect(tfCtl, &TeacherForcingController::failed, &win, [&win](const QString& m) { win.showMessage(m, 10000); });
    win.addDock(tf, "teacherForcingDock", Qt::RightDockWidgetArea, QSize(520, 0));

    auto* rnn = new RnnInspectorView;
    auto* rnnCtl = new RnnInspectorController(rnn, this);
    win.addDock(rnn, "rnnInspectorDock", Qt::BottomDockWidgetArea, QSize(0, 200));

    try {
        ctl->setModel(loadTranslatorResource(":/models/zh-en-seq2seq.safetensors"));
        ctl->setSource(QStringLiteral("我 昨天 吃 了 三 个 苹果"));
        ctl->beam(view->beamWidth());
    } catch (const ar::Error& e) {
        view->setStatus(tr("The translator could not be loaded: %1").arg(QString::fromStdString(e.what())), true);
    }
    if (auto* gold = view->findChild<QCheckBox*>("goldCheck")) gold->setChecked(true);
    try {
        rnnCtl->setModel(loadCharRnnResource(":/models/en-char-lstm.safetensors"));
    } catch (const ar::Error& e) {
        rnn->setModelInfo(tr("The character model could not be loaded: %1").arg(QString::fromStdString(e.what())));
    }
}

ARLAB_LESSON(TranslationLesson, {.id = "translate",
                                 .title = QT_TRANSLATE_NOOP("arlab::Lesson", "Translation"),
                                 .order = 40,
                                 .shortcut = "Ctrl+4",
                                 .docks = {{"translationDock", QT_TRANSLATE_NOOP("arlab::Lesson", "Translation")},
                                           {"translationBeamDock", QT_TRANSLATE_NOOP("arlab::Lesson", "Beam tree (translator)")},
                                           {"teacherForcingDock", QT_TRANSLATE_NOOP("arlab::Lesson", "Teacher forcing vs free running")},
                                           {"rnnInspectorDock", QT_TRANSLATE_NOOP("arlab::Lesson", "RNN inspector")}},
                                 .modelFamilies = {ar::ModelFamily::Translator},
                                 .summary = QT_TRANSLATE_NOOP("arlab::Lesson", "a recurrent encoder-decoder with attention translating zh->en")})

}  // namespace arlab

#include "translationlesson.moc"
