#include "capture/annotation_json.h"

#include <cstdio>

namespace tcplab {

namespace {

std::string escape(const std::string &s)
{
    std::string out;
    for (unsigned char c : s) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            } else {
                out += static_cast<char>(c);
            }
        }
    }
    return out;
}

// A small recursive-descent reader for the subset we write: objects, arrays, strings, integers.
class Reader {
public:
    explicit Reader(const std::string &s) : s_(s) {}

    bool fail(const std::string &why)
    {
        if (error_.empty()) error_ = why + " at character " + std::to_string(i_);
        return false;
    }
    void ws()
    {
        while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\t' || s_[i_] == '\r'))
            ++i_;
    }
    bool eat(char c)
    {
        ws();
        if (i_ < s_.size() && s_[i_] == c) {
            ++i_;
            return true;
        }
        return false;
    }
    bool string(std::string &out)
    {
        if (!eat('"')) return fail("expected a string");
        out.clear();
        while (i_ < s_.size() && s_[i_] != '"') {
            char c = s_[i_++];
            if (c != '\\') {
                out += c;
                continue;
            }
            if (i_ >= s_.size()) return fail("unfinished escape");
            c = s_[i_++];
            switch (c) {
            case 'n': out += '\n'; break;
            case 't': out += '\t'; break;
            case 'r': out += '\r'; break;
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case 'u': {
                if (i_ + 4 > s_.size()) return fail("short \\u escape");
                unsigned v = 0;
                for (int k = 0; k < 4; ++k) {
                    const char h = s_[i_++];
                    v <<= 4;
                    if (h >= '0' && h <= '9')
                        v |= unsigned(h - '0');
                    else if (h >= 'a' && h <= 'f')
                        v |= unsigned(h - 'a' + 10);
                    else if (h >= 'A' && h <= 'F')
                        v |= unsigned(h - 'A' + 10);
                    else
                        return fail("bad \\u escape");
                }
                if (v >= 0x80) return fail("\\u escape beyond ASCII"); // we write UTF-8 as is
                out += static_cast<char>(v);
                break;
            }
            default: out += c;
            }
        }
        if (i_ >= s_.size()) return fail("unterminated string");
        ++i_;
        return true;
    }
    // Skips a value we do not need (numbers, strings, nested things), bounded in depth.
    bool skip(int depth = 0)
    {
        ws();
        if (depth > 16) return fail("nested too deep");
        if (i_ >= s_.size()) return fail("value expected");
        if (s_[i_] == '"') {
            std::string tmp;
            return string(tmp);
        }
        if (s_[i_] == '{' || s_[i_] == '[') {
            const char close = s_[i_] == '{' ? '}' : ']';
            ++i_;
            if (eat(close)) return true;
            do {
                if (close == '}') {
                    std::string key;
                    if (!string(key) || !eat(':')) return fail("object member expected");
                }
                if (!skip(depth + 1)) return false;
            } while (eat(','));
            return eat(close) || fail("missing closing bracket");
        }
        const std::size_t start = i_;
        while (i_ < s_.size() &&
               std::string_view("0123456789+-.eEtruefalsn").find(s_[i_]) != std::string_view::npos)
            ++i_;
        return i_ > start || fail("value expected");
    }
    bool end()
    {
        ws();
        return i_ == s_.size() || fail("trailing characters");
    }
    const std::string &error() const { return error_; }

private:
    const std::string &s_;
    std::size_t i_ = 0;
    std::string error_;
};

AnnotationKind kindOfName(const std::string &name)
{
    for (AnnotationKind k : {AnnotationKind::Analysis, AnnotationKind::RuleHit, AnnotationKind::StateChange,
                             AnnotationKind::Timer, AnnotationKind::Note})
        if (name == annotationKindName(k)) return k;
    return AnnotationKind::Note;
}

bool readAnnotation(Reader &r, JsonAnnotation &a)
{
    if (!r.eat('{')) return r.fail("annotation object expected");
    if (r.eat('}')) return true;
    do {
        std::string key;
        if (!r.string(key) || !r.eat(':')) return r.fail("annotation member expected");
        if (key == "kind") {
            std::string kind;
            if (!r.string(kind)) return false;
            a.kind = kindOfName(kind);
        } else if (key == "text") {
            if (!r.string(a.text)) return false;
        } else if (key == "fields") {
            if (!r.eat('{')) return r.fail("fields object expected");
            if (r.eat('}')) continue;
            do {
                std::string k, v;
                if (!r.string(k) || !r.eat(':') || !r.string(v)) return r.fail("field expected");
                a.fields.emplace_back(std::move(k), std::move(v));
            } while (r.eat(','));
            if (!r.eat('}')) return r.fail("missing } after fields");
        } else if (!r.skip()) {
            return false;
        }
    } while (r.eat(','));
    return r.eat('}') || r.fail("missing } after annotation");
}

} // namespace

const char *frameFateName(FrameFate f)
{
    switch (f) {
    case FrameFate::Delivered: return "delivered";
    case FrameFate::DroppedByRule: return "dropped-by-rule";
    case FrameFate::ConsumedByRule: return "consumed-by-rule";
    case FrameFate::LostOnWire: return "lost-on-wire";
    case FrameFate::Malformed: return "malformed";
    }
    return "delivered";
}

std::string annotationsToJson(const PacketView &p, const std::vector<JsonAnnotation> &extra)
{
    std::string j = "{\"fate\":\"" + std::string(frameFateName(p.fate)) +
                    "\",\"session\":" + std::to_string(p.session) + ",\"annotations\":[";
    bool first = true;
    const auto add = [&](AnnotationKind kind, const std::string &text,
                         const std::vector<std::pair<std::string, std::string>> &fields) {
        j += first ? "" : ",";
        first = false;
        j += "{\"kind\":\"" + std::string(annotationKindName(kind)) + "\",\"text\":\"" + escape(text) +
             "\",\"fields\":{";
        for (std::size_t i = 0; i < fields.size(); ++i)
            j +=
                (i ? "," : "") + ("\"" + escape(fields[i].first) + "\":\"" + escape(fields[i].second) + "\"");
        j += "}}";
    };
    for (const Annotation *n = p.firstNote; n; n = n->nextNote())
        add(n->kind, n->text, n->fields);
    for (const auto &e : extra)
        add(e.kind, e.text, e.fields);
    return j + "]}";
}

Expected<std::vector<JsonAnnotation>> annotationsFromJson(const std::string &json)
{
    Reader r(json);
    std::vector<JsonAnnotation> out;
    bool ok = r.eat('{');
    if (ok && !r.eat('}')) {
        do {
            std::string key;
            ok = r.string(key) && r.eat(':');
            if (!ok) break;
            if (key == "annotations") {
                ok = r.eat('[') || r.fail("annotations array expected");
                if (ok && !r.eat(']')) {
                    do {
                        JsonAnnotation a;
                        ok = readAnnotation(r, a);
                        if (ok) out.push_back(std::move(a));
                    } while (ok && r.eat(','));
                    ok = ok && (r.eat(']') || r.fail("missing ] after annotations"));
                }
            } else {
                ok = r.skip();
            }
        } while (ok && r.eat(','));
        ok = ok && (r.eat('}') || r.fail("missing }"));
    }
    ok = ok && r.end();
    if (!ok)
        return Error{"annotation JSON: " + (r.error().empty() ? std::string("object expected") : r.error())};
    return out;
}

} // namespace tcplab
