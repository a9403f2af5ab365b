// The Translation lesson: a recurrent encoder-decoder with attention translating the synthetic zh->en
// corpus. Docks: Translation (source editor, step-by-step decoding, cross-attention heatmap), Beam tree of
// the translator, Teacher forcing vs free running (exposure bias), RNN inspector (character LSTM).
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

void setupTranslationLesson(MainWindow& win) {
    auto* view = new TranslationView;
    auto* ctl = new TranslationController(view, &win);
    win.addDock(view, "translationDock", QObject::tr("Translation"), Qt::LeftDockWidgetArea, QSize(640, 0));

    auto* beam = new BeamTreeView;
    beam->setObjectName("translationBeamTree");
    win.addDock(beam, "translationBeamDock", QObject::tr("Beam tree (translator)"), Qt::RightDockWidgetArea, QSize(520, 290));
    QObject::connect(ctl, &TranslationController::beamTreeReady, beam,
                     [beam](const ar::BeamTree& tree, const std::vector<QString>& vocab, const QString& root, int best) {
                         beam->setTree(tree, vocab, root, best);
                         beam->fitAll();
                     });
    QObject::connect(ctl, &TranslationController::message, &win, [&win](const QString& m) { win.showMessage(m); });

    auto* tf = new TeacherForcingView;
    new TeacherForcingController(tf, {{QObject::tr("early checkpoint (250 steps)"), ":/models/zh-en-seq2seq-early.safetensors"},
                                      {QObject::tr("fully trained (1500 steps)"), ":/models/zh-en-seq2seq.safetensors"}},
                                 &win);
    win.addDock(tf, "teacherForcingDock", QObject::tr("Teacher forcing vs free running"), Qt::RightDockWidgetArea, QSize(520, 0));

    auto* rnn = new RnnInspectorView;
    auto* rnnCtl = new RnnInspectorController(rnn, &win);
    win.addDock(rnn, "rnnInspectorDock", QObject::tr("RNN inspector"), Qt::BottomDockWidgetArea, QSize(0, 200));

    try {
        ctl->setModel(loadTranslatorResource(":/models/zh-en-seq2seq.safetensors"));
        ctl->setSource(QStringLiteral("我 昨天 吃 了 三 个 苹果"));
        ctl->beam(view->beamWidth());
    } catch (const ar::Error& e) {
        view->setStatus(QString::fromStdString(e.what()), true);
    }
    if (auto* gold = view->findChild<QCheckBox*>("goldCheck")) gold->setChecked(true);
    try {
        rnnCtl->setModel(loadCharRnnResource(":/models/en-char-lstm.safetensors"));
    } catch (const ar::Error& e) {
        rnn->setModelInfo(QString::fromStdString(e.what()));
    }

    win.setStepHandler([ctl](int n) { ctl->steps(n); });
    win.addModelHandler({"seq2seq"}, [ctl](const ar::SafeTensors& file, const QString& path) {
        ctl->setModel(ar::loadSeq2Seq(file, "model '" + path.toStdString() + "'"));
    });
}

}  // namespace arlab
