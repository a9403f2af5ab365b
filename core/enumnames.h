#pragma once
// An enum's names in one table that both directions read, so that a name and its parse cannot drift apart:
//
//   constexpr EnumName<CellType> kCellNames[] = {{CellType::Rnn, "rnn"}, {CellType::Lstm, "lstm"}, {CellType::Gru, "gru"}};
//   nameOf(kCellNames, CellType::Lstm, "?")  -> "lstm"  (the first row of that value; `fallback` for none)
//   fromName(kCellNames, "gru")              -> CellType::Gru, std::nullopt for a name not in the table
//
// A value may have several rows: the first is its name, the others are spellings the parse also accepts. The
// caller throws its own message (which names the choices) when fromName finds nothing.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace ar {

template <class E>
struct EnumName {
    E value;
    const char* name;
};

template <class E, size_t N>
std::string nameOf(const EnumName<E> (&table)[N], E value, const char* fallback) {
    for (const EnumName<E>& row : table)
        if (row.value == value) return row.name;
    return fallback;
}

template <class E, size_t N>
std::optional<E> fromName(const EnumName<E> (&table)[N], std::string_view name) {
    for (const EnumName<E>& row : table)
        if (name == row.name) return row.value;
    return std::nullopt;
}

}  // namespace ar
