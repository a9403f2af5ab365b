#pragma once
// `arlab-cli train <kind> [options]` dispatches on <kind> to one function per model family.
// To add a family: write train_<family>.cpp with `int trainX(int argc, char** argv)` (argv[2] is the kind,
// options start at argv[3]; use texttrain.h for text models), declare it here and add a row to the table
// in cmd_train.cpp.
namespace arcli {

int trainTinyGpt(int argc, char** argv);
int trainRecurrent(int argc, char** argv);   // rnn, lstm, gru
int trainSeq2SeqCmd(int argc, char** argv);  // seq2seq
int trainNatCmd(int argc, char** argv);      // nat (non-autoregressive translator, CMLM)

}  // namespace arcli
