// Comments of hand-written scenario files, kept across load and save. toml++ reads past comments,
// so the loader scans the text once more for them: the file's leading comment block, the comment
// lines directly above a table header or a key, and the comment at the end of a key's (or a
// header's) line. Each one is filed under the dotted TOML path of what it belongs to, with array
// elements by index ("rules.2", "rules.2.match.flags"); the loader hands every [[hosts]],
// [[services]], [[rules]], [[timeline]] and [[lesson]] entry its own comments (paths relative to
// the entry), so a comment follows its rule when rules are reordered and goes when it is deleted.
// The saver puts them back into the writer's text next to the same paths; a comment whose key is
// no longer written (a value back to its default) goes with the key.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace tcplab {

// One owner's comments; paths relative to the owner, "" is the owner's own table header.
// Texts are whole comment lines ("# ..."), several joined by '\n'.
struct TomlComments {
    std::map<std::string, std::string> above;    // path -> the comment lines directly above it
    std::map<std::string, std::string> trailing; // path -> the comment ending its line
    bool empty() const { return above.empty() && trailing.empty(); }
    bool operator==(const TomlComments &) const = default;
};

// Every comment of one file, by absolute path.
struct FileComments {
    std::string leading; // the comment block the file starts with
    std::string footer;  // comment lines after everything else
    TomlComments byPath;
};

FileComments scanTomlComments(std::string_view text);
// The comments at `prefix` and below it, relative to `prefix` ("" takes everything).
TomlComments commentsUnder(const FileComments &file, std::string_view prefix);
// Files `comments` (relative to `prefix`) into `file`.
void addComments(FileComments &file, std::string_view prefix, const TomlComments &comments);
// `toml` (as toml++ writes it: one header or key per line) with the comments put back.
std::string insertTomlComments(std::string_view toml, const FileComments &file);

} // namespace tcplab
