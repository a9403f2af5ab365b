#include "app/gui/openmodeldialog.h"

#include "app/gui/modelfiles.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace arlab {

OpenModelDialog::OpenModelDialog(QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Open model"));
    setObjectName(QStringLiteral("openModelDialog"));
    m_path = new QLineEdit;
    m_path->setObjectName(QStringLiteral("modelPath"));
    m_path->setPlaceholderText(tr("a model file or a model folder"));
    m_path->setToolTip(tr("<p>An arlab model (.safetensors), a GPT-2 folder in the Hugging Face layout (model.safetensors, "
                          "config.json, vocab.json + merges.txt or tokenizer.json), or a llama2.c checkpoint (.bin) "
                          "with tokenizer.bin next to it. Nothing is downloaded: use the files you have.</p>"));
    m_path->setMinimumWidth(520);
    auto* file = new QPushButton(tr("&File…"));
    file->setToolTip(tr("Choose a model file: arlab .safetensors, GPT-2 model.safetensors or a llama2.c .bin"));
    auto* folder = new QPushButton(tr("F&older…"));
    folder->setToolTip(tr("Choose a model folder: a GPT-2 folder, or a folder holding one llama2.c checkpoint"));
    auto* pathRow = new QHBoxLayout;
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(file);
    pathRow->addWidget(folder);

    m_what = new QLabel;
    m_what->setObjectName(QStringLiteral("modelPathDescription"));
    m_what->setWordWrap(true);
    m_what->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_what->setMinimumHeight(m_what->fontMetrics().lineSpacing() * 3);

    m_tokenizer = new QLineEdit;
    m_tokenizer->setObjectName(QStringLiteral("tokenizerPath"));
    m_tokenizer->setPlaceholderText(tr("tokenizer.bin next to the checkpoint"));
    m_tokenizer->setToolTip(tr("A llama2.c tokenizer.bin to use instead of the one next to the checkpoint "
                               "(its vocabulary size must match the checkpoint's)"));
    m_tokenizerBrowse = new QPushButton(tr("&Tokenizer…"));
    m_tokenizerBrowse->setToolTip(m_tokenizer->toolTip());
    auto* tokRow = new QHBoxLayout;
    tokRow->addWidget(m_tokenizer, 1);
    tokRow->addWidget(m_tokenizerBrowse);

    auto* form = new QFormLayout;
    form->addRow(tr("Model:"), pathRow);
    form->addRow(QString(), m_what);
    m_tokenizerLabel = new QLabel(tr("Tokenizer:"));
    form->addRow(m_tokenizerLabel, tokRow);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Open | QDialogButtonBox::Cancel);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_buttons);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_path, &QLineEdit::textChanged, this, &OpenModelDialog::update);
    connect(m_tokenizer, &QLineEdit::textChanged, this, &OpenModelDialog::update);
    connect(file, &QPushButton::clicked, this, [this] {
        const QString p = QFileDialog::getOpenFileName(this, tr("Open model file"), QFileInfo(path()).path(),
                                                       tr("Models (*.safetensors *.bin);;All files (*)"));
        if (!p.isEmpty()) setPath(p);
    });
    connect(folder, &QPushButton::clicked, this, [this] {
        const QString p = QFileDialog::getExistingDirectory(this, tr("Open model folder"), path());
        if (!p.isEmpty()) setPath(p);
    });
    connect(m_tokenizerBrowse, &QPushButton::clicked, this, [this] {
        const QString p = QFileDialog::getOpenFileName(this, tr("Choose a llama2.c tokenizer"), QFileInfo(path()).path(),
                                                       tr("llama2.c tokenizers (*.bin);;All files (*)"));
        if (!p.isEmpty()) setTokenizer(p);
    });
    update();
}

void OpenModelDialog::setPath(const QString& path) { m_path->setText(QDir::toNativeSeparators(path)); }
QString OpenModelDialog::path() const { return QDir::fromNativeSeparators(m_path->text().trimmed()); }
void OpenModelDialog::setTokenizer(const QString& path) { m_tokenizer->setText(QDir::toNativeSeparators(path)); }
QString OpenModelDialog::tokenizer() const { return m_tokenizer->isEnabled() ? QDir::fromNativeSeparators(m_tokenizer->text().trimmed()) : QString(); }
QString OpenModelDialog::description() const { return m_what->text(); }
bool OpenModelDialog::acceptable() const { return m_ok; }

void OpenModelDialog::update() {
    const ModelPathInfo info = describeModelPath(path());
    m_tokenizer->setEnabled(info.llama2c);
    m_tokenizerBrowse->setEnabled(info.llama2c);
    m_tokenizerLabel->setEnabled(info.llama2c);
    QString error = info.error;
    if (error.isEmpty() && info.llama2c && !tokenizer().isEmpty() && !QFileInfo(tokenizer()).isFile())
        error = tr("tokenizer '%1' is not a file").arg(tokenizer());
    if (!error.isEmpty()) {
        m_what->setText(error);
        m_what->setStyleSheet(QStringLiteral("color: #b3261e;"));
    } else {
        m_what->setText(info.description.isEmpty() ? tr("Choose a model file or folder.") : info.description);
        m_what->setStyleSheet(QString());
    }
    m_ok = !path().isEmpty() && error.isEmpty() && !(info.llama2c && !info.tokenizerNextTo && tokenizer().isEmpty());
    m_buttons->button(QDialogButtonBox::Open)->setEnabled(m_ok);
}

}  // namespace arlab
