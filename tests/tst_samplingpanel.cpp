// SamplingPanel: every edit emits the full settings; setSettings is silent; each knob explains itself; the
// filter rows are the sampler chain's stage knobs (a stage added as one more file gets a row, and the Next token
// view a button: tst_samplerstagefile).
#include "widgets/samplingpanel.h"

#include <QAbstractSpinBox>
#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QDoubleSpinBox>
#include <QSignalSpy>
#include <QSpinBox>
#include <QtTest>

using namespace arlab;

Q_DECLARE_METATYPE(ar::SamplerSettings)

class TestSamplingPanel : public QObject {
    Q_OBJECT
private slots:
    void editsEmitSettings() {
        SamplingPanel panel;
        QSignalSpy spy(&panel, &SamplingPanel::settingsChanged);
        panel.temperatureBox()->setValue(0.7);
        panel.topKBox()->setValue(5);
        panel.topPBox()->setValue(0.9);
        panel.minPBox()->setValue(0.05);
        panel.penaltyBox()->setValue(1.3);
        panel.seedBox()->setValue(42);
        panel.beamWidthBox()->setValue(6);
        panel.lengthPenaltyBox()->setValue(0.6);
        QCOMPARE(spy.count(), 8);
        const auto s = spy.last().at(0).value<ar::SamplerSettings>();
        QCOMPARE(s.temperature(), 0.7f);
        QCOMPARE(s.topK(), 5);
        QCOMPARE(s.topP(), 0.9f);
        QCOMPARE(float(s.knob("min_p")), 0.05f);
        QCOMPARE(float(s.knob("repetition_penalty")), 1.3f);
        QCOMPARE(s.seed, uint64_t(42));
        QCOMPARE(s.beam.width, 6);
        QCOMPARE(s.beam.lengthPenalty, 0.6f);
        s.validate();  // whatever the panel emits is valid
        QVERIFY(panel.chainSummary().contains("top-k 5"));
        QVERIFY(panel.chainSummary().contains("top-p 0.9"));
        QVERIFY(panel.chainSummary().contains("draw (seed 42)"));
    }

    void greedyDisablesSamplingKnobs() {
        SamplingPanel panel;
        QSignalSpy spy(&panel, &SamplingPanel::settingsChanged);
        panel.strategyBox()->setCurrentIndex(panel.strategyBox()->findData(int(ar::DecodeStrategy::Greedy)));
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.last().at(0).value<ar::SamplerSettings>().strategy, ar::DecodeStrategy::Greedy);
        QVERIFY(!panel.temperatureBox()->isEnabled());
        QVERIFY(!panel.topKBox()->isEnabled());
        QVERIFY(panel.penaltyBox()->isEnabled());
        QVERIFY(panel.chainSummary().endsWith("argmax"));
    }

    void setSettingsIsSilentAndKeepsHiddenFields() {
        SamplingPanel panel;
        QSignalSpy spy(&panel, &SamplingPanel::settingsChanged);
        ar::SamplerSettings s;
        s.setTemperature(0.0f);
        s.setTopK(3);
        s.maxNewTokens = 77;
        s.strategy = ar::DecodeStrategy::Beam;
        panel.setSettings(s);
        QCOMPARE(spy.count(), 0);
        QCOMPARE(panel.settings(), s);
    }

    void everyKnobHasATooltip() {
        SamplingPanel panel;
        for (QWidget* w : std::initializer_list<QWidget*>{panel.strategyBox(), panel.temperatureBox(), panel.topKBox(),
                                                          panel.topPBox(), panel.minPBox(), panel.penaltyBox(),
                                                          panel.beamWidthBox(), panel.lengthPenaltyBox(), panel.seedBox()})
            QVERIFY2(w->toolTip().size() > 30, qPrintable(w->toolTip()));
    }

    // One row per knob of the chain's stages, in panel order, with the stage's tooltip and range.
    void rowsAreTheChainsKnobs() {
        SamplingPanel panel;
        QCOMPARE(panel.stageKeys(), (QStringList{"temperature", "top_k", "top_p", "min_p", "repetition_penalty", "repetition_window"}));
        int knobs = 0;
        for (const ar::SamplerStageKind* stage : ar::samplerStages())
            for (const ar::StageParam& p : stage->params()) {
                ++knobs;
                QAbstractSpinBox* box = panel.stageBox(p.key);
                QVERIFY2(box, p.key.c_str());
                QCOMPARE(box->toolTip(), QString::fromStdString(p.tooltip));
                QCOMPARE(box->property("arlabAdvanced").toBool(), p.advanced);
            }
        QCOMPARE(panel.stageKeys().size(), knobs);
        QCOMPARE(panel.topKBox()->maximum(), 100000);
        QCOMPARE(panel.topPBox()->minimum(), 0.01);
    }
};

QTEST_MAIN(TestSamplingPanel)
#include "tst_samplingpanel.moc"
