#include "scenario/toml_comments.h"

#include <optional>
#include <set>
#include <vector>

namespace tcplab {

namespace {

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

// Where a value continues on the next line: inside a multi-line string or an array / inline table.
struct ValueState {
    int depth = 0;          // open [ and {
    const char *multi = {}; // "\"\"\"" or "'''" while inside a multi-line string
    bool open() const { return depth > 0 || multi; }
};

// Scans `line` from `from` on, following strings and brackets; the position of a comment's '#',
// if the line has one outside strings.
std::optional<std::size_t> scanValue(std::string_view line, std::size_t from, ValueState &st)
{
    std::size_t i = from;
    while (i < line.size()) {
        if (st.multi) {
            const std::string_view close(st.multi, 3);
            if (close[0] == '"' && line[i] == '\\') {
                i += 2;
                continue;
            }
            if (line.substr(i, 3) == close) {
                st.multi = nullptr;
                i += 3;
                continue;
            }
            ++i;
            continue;
        }
        const char c = line[i];
        if (c == '#') return i;
        if (c == '"' || c == '\'') {
            if (line.substr(i, 3) == std::string(3, c)) {
                st.multi = c == '"' ? "\"\"\"" : "'''";
                i += 3;
                continue;
            }
            // A one-line string: to its closing quote (backslash escapes in basic strings only).
            ++i;
            while (i < line.size() && line[i] != c)
                i += (c == '"' && line[i] == '\\') ? 2 : 1;
            ++i;
            continue;
        }
        if (c == '[' || c == '{') ++st.depth;
        if ((c == ']' || c == '}') && st.depth > 0) --st.depth;
        ++i;
    }
    return std::nullopt;
}

std::string unquote(std::string_view key)
{
    key = trim(key);
    if (key.size() >= 2 && (key.front() == '"' || key.front() == '\'') && key.back() == key.front())
        key = key.substr(1, key.size() - 2);
    return std::string(key);
}

// The dotted path of a key as written ("a . b" and "'a'.b" both give "a.b").
std::string keyPath(std::string_view key)
{
    std::string out;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= key.size(); ++i) {
        if (i == key.size() || key[i] == '.') {
            out += (out.empty() ? "" : ".") + unquote(key.substr(start, i - start));
            start = i + 1;
        }
    }
    return out;
}

// Table headers to absolute paths, with [[arrays]] counted: "[[rules]]" -> "rules.3",
// "[rules.match]" -> "rules.3.match", "[[rules.actions]]" -> "rules.3.actions.0".
class HeaderPaths {
public:
    std::string resolve(std::string_view dotted, bool arrayOfTables)
    {
        std::string raw, resolved;
        std::size_t start = 0;
        const std::string path = keyPath(dotted);
        for (std::size_t i = 0; i <= path.size(); ++i) {
            if (i != path.size() && path[i] != '.') continue;
            const std::string part = path.substr(start, i - start);
            start = i + 1;
            raw += (raw.empty() ? "" : ".") + part;
            resolved += (resolved.empty() ? "" : ".") + part;
            const bool last = i == path.size();
            if (last && arrayOfTables) {
                arrays_.insert(raw);
                resolved += "." + std::to_string(count_[resolved]++);
            } else if (!last && arrays_.count(raw) && count_[resolved] > 0) {
                resolved += "." + std::to_string(count_[resolved] - 1);
            }
        }
        return resolved;
    }

private:
    std::set<std::string> arrays_;             // raw paths declared with [[ ]]
    std::map<std::string, std::size_t> count_; // resolved array path -> entries so far
};

struct Line {
    enum class Kind { Blank, Comment, Header, Key, Continuation } kind;
    std::string path;                // Header, Key: the absolute path
    std::optional<std::size_t> hash; // where its own comment starts
    bool valueContinues = false;     // Key, Continuation: the value goes on after this line
};

// Classifies each line the way both the scanner and the writer need it.
class LineReader {
public:
    Line next(std::string_view line)
    {
        if (value_.open()) {
            Line l{Line::Kind::Continuation, {}, scanValue(line, 0, value_)};
            l.valueContinues = value_.open();
            return l;
        }
        const std::string_view t = trim(line);
        if (t.empty()) return {Line::Kind::Blank, {}, {}};
        if (t.front() == '#') return {Line::Kind::Comment, {}, {}};
        const std::size_t indent = line.find_first_not_of(" \t");
        if (t.front() == '[') {
            const bool array = t.size() > 1 && t[1] == '[';
            const std::size_t open = indent + (array ? 2 : 1);
            const std::size_t close = line.find(array ? "]]" : "]", open);
            if (close == std::string_view::npos) return {Line::Kind::Header, {}, {}};
            table_ = paths_.resolve(line.substr(open, close - open), array);
            ValueState none;
            return {Line::Kind::Header, table_, scanValue(line, close + (array ? 2 : 1), none)};
        }
        // key = value: the key up to the first '=' outside quotes.
        std::size_t eq = indent;
        char quote = 0;
        for (; eq < line.size(); ++eq) {
            if (quote) {
                if (line[eq] == quote) quote = 0;
            } else if (line[eq] == '"' || line[eq] == '\'') {
                quote = line[eq];
            } else if (line[eq] == '=') {
                break;
            }
        }
        if (eq >= line.size()) return {Line::Kind::Continuation, {}, {}};
        const std::string key = keyPath(line.substr(indent, eq - indent));
        Line l{Line::Kind::Key, table_.empty() ? key : table_ + "." + key, scanValue(line, eq + 1, value_)};
        l.valueContinues = value_.open();
        return l;
    }

private:
    HeaderPaths paths_;
    std::string table_;
    ValueState value_;
};

std::vector<std::string_view> splitLines(std::string_view text)
{
    std::vector<std::string_view> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        lines.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return lines;
}

std::string join(const std::vector<std::string> &lines)
{
    std::string out;
    for (const auto &l : lines)
        out += (out.empty() ? "" : "\n") + l;
    return out;
}

// Comment text as whole comment lines, whatever a caller put in (a line without '#' gets one).
std::string asCommentLines(std::string_view text, std::string_view indent)
{
    std::string out;
    for (std::string_view line : splitLines(text)) {
        line = trim(line);
        out += std::string(indent) + (line.starts_with('#') ? "" : "# ") + std::string(line) + "\n";
    }
    return out;
}

std::string asTrailing(std::string_view text)
{
    std::string flat(trim(text));
    for (char &c : flat)
        if (c == '\n' || c == '\r') c = ' ';
    return flat.starts_with('#') ? flat : "# " + flat;
}

} // namespace

FileComments scanTomlComments(std::string_view text)
{
    FileComments out;
    LineReader reader;
    std::vector<std::string> pending;
    bool leading = true; // still in the file's first comment block
    std::string lastKey; // for comments inside a multi-line value
    for (std::string_view raw : splitLines(text)) {
        const Line line = reader.next(raw);
        switch (line.kind) {
        case Line::Kind::Blank:
            if (leading && !pending.empty()) {
                out.leading = join(pending);
                pending.clear();
            }
            leading = false;
            break;
        case Line::Kind::Comment: pending.emplace_back(trim(raw)); break;
        case Line::Kind::Header:
        case Line::Kind::Key:
            // A first block running straight into a key is the file's heading; into a header, the table's.
            if (leading && line.kind == Line::Kind::Key && !pending.empty()) {
                out.leading = join(pending);
                pending.clear();
            }
            leading = false;
            if (!pending.empty()) out.byPath.above[line.path] = join(pending);
            pending.clear();
            if (line.hash) out.byPath.trailing[line.path] = std::string(trim(raw.substr(*line.hash)));
            if (line.kind == Line::Kind::Key) lastKey = line.path;
            break;
        case Line::Kind::Continuation:
            // A comment inside a multi-line array stays with its key.
            if (line.hash && !lastKey.empty()) {
                std::string &t = out.byPath.trailing[lastKey];
                t += (t.empty() ? "" : " ") + std::string(trim(raw.substr(*line.hash)));
            }
            break;
        }
    }
    if (!pending.empty()) (leading ? out.leading : out.footer) = join(pending);
    return out;
}

TomlComments commentsUnder(const FileComments &file, std::string_view prefix)
{
    TomlComments out;
    auto take = [&](const std::map<std::string, std::string> &from, std::map<std::string, std::string> &to) {
        for (const auto &[path, text] : from) {
            if (prefix.empty())
                to[path] = text;
            else if (path == prefix)
                to[""] = text;
            else if (path.size() > prefix.size() && path.starts_with(prefix) && path[prefix.size()] == '.')
                to[path.substr(prefix.size() + 1)] = text;
        }
    };
    take(file.byPath.above, out.above);
    take(file.byPath.trailing, out.trailing);
    return out;
}

void addComments(FileComments &file, std::string_view prefix, const TomlComments &comments)
{
    auto put = [&](const std::map<std::string, std::string> &from, std::map<std::string, std::string> &to) {
        for (const auto &[path, text] : from) {
            const std::string full = prefix.empty() ? path
                                     : path.empty() ? std::string(prefix)
                                                    : std::string(prefix) + "." + path;
            to[full] = text;
        }
    };
    put(comments.above, file.byPath.above);
    put(comments.trailing, file.byPath.trailing);
}

std::string insertTomlComments(std::string_view toml, const FileComments &file)
{
    std::string out;
    if (!file.leading.empty()) out += asCommentLines(file.leading, "") + "\n";
    LineReader reader;
    std::string heldTrailing; // for a value that goes on over several lines: put at its last line
    for (std::string_view raw : splitLines(toml)) {
        const Line line = reader.next(raw);
        std::string text(raw);
        if (line.kind == Line::Kind::Header || line.kind == Line::Kind::Key) {
            const auto above = file.byPath.above.find(line.path);
            if (above != file.byPath.above.end())
                out += asCommentLines(above->second, raw.substr(0, raw.find_first_not_of(" \t")));
            const auto trailing = file.byPath.trailing.find(line.path);
            if (trailing != file.byPath.trailing.end()) heldTrailing = asTrailing(trailing->second);
        }
        if (!heldTrailing.empty() && !line.valueContinues &&
            (line.kind == Line::Kind::Header || line.kind == Line::Kind::Key ||
             line.kind == Line::Kind::Continuation)) {
            text += "  " + heldTrailing;
            heldTrailing.clear();
        }
        out += text + "\n";
    }
    if (!file.footer.empty()) out += "\n" + asCommentLines(file.footer, "");
    return out;
}

} // namespace tcplab
