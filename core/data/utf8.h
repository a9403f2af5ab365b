#pragma once
// UTF-8 validation and splitting into code points (one Chinese character = one piece).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ar::utf8 {

// Byte offset of the first invalid sequence (bad lead byte, bad continuation, overlong form, surrogate,
// code point above U+10FFFF, or a sequence cut short by the end), or nullopt when the text is valid.
std::optional<size_t> firstInvalid(std::string_view text);
// Throws ar::Error "<what>: invalid UTF-8 at byte offset N" when the text is not valid UTF-8.
void validate(std::string_view text, const std::string& what);
// Length in bytes of the valid UTF-8 sequence starting at byte i, or 0 when it is invalid.
size_t sequenceLength(std::string_view s, size_t i);
// Splits valid UTF-8 into one string per code point. Throws ar::Error on invalid input.
std::vector<std::string> splitChars(std::string_view text);

}  // namespace ar::utf8

namespace ar::utf8 {
// The text with every byte that is not part of a valid UTF-8 sequence written as "\xHH" (visible, never
// dropped); valid text passes through unchanged.
std::string escapeInvalid(std::string_view bytes);
}  // namespace ar::utf8
