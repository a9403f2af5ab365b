// SamplingPanel: every edit emits the full settings; setSettings is silent; each knob explains itself.
#include "widgets/samplingpanel.h"

#include <QComboBox>
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
        QCOMPARE(s.temperature, 0.7f);
        QCOMPARE(s.topK, 5);
        QCOMPARE(s.topP, 0.9f);
        QCOMPARE(s.minP, 0.05f);
        QCOMPARE(s.repetitionPenalty, 1.3f);
        QCOMPARE(s.seed, uint64_t(42));
        QCOMPARE(s.beamWidth, 6);
        QCOMPARE(s.lengthPenalty, 0.6f);
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
        s.temperature = 0.0f;
        s.topK = 3;
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
};

QTEST_MAIN(TestSamplingPanel)
#include "tst_samplingpanel.moc"
