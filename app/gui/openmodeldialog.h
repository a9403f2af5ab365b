#pragma once
// OpenModelDialog: File -> Open model. A model is a file (an arlab .safetensors, a llama2.c .bin, a GPT-2
// model.safetensors) or a folder (a Hugging Face GPT-2 folder, a folder with one llama2.c checkpoint), so the
// dialog takes either: a path field with File… and Folder… buttons. Under it, what the path holds, read
// without loading the weights (app/gui/modelfiles.h): the files found, or core's specific message for the
// missing piece ("merges.txt not found next to model.safetensors"). For a llama2.c checkpoint a tokenizer
// other than the tokenizer.bin next to it can be chosen.
#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace arlab {

class OpenModelDialog : public QDialog {
    Q_OBJECT
public:
    explicit OpenModelDialog(QWidget* parent = nullptr);

    void setPath(const QString& path);
    QString path() const;
    void setTokenizer(const QString& path);
    QString tokenizer() const;          // "" = the tokenizer.bin next to the checkpoint
    QString description() const;        // what the path holds, or the problem (for tests)
    bool acceptable() const;            // the Open button is enabled

private:
    void update();
    QLineEdit* m_path;
    QLineEdit* m_tokenizer;
    QPushButton* m_tokenizerBrowse;
    QLabel* m_tokenizerLabel;
    QLabel* m_what;
    QDialogButtonBox* m_buttons;
    bool m_ok = false;
};

}  // namespace arlab
