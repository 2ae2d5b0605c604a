#include "driver/loader.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <optional>
#include <system_error>
#include <utility>

#include "parse/parser.hpp"

namespace lpc::driver {
namespace {

namespace fs = std::filesystem;

// `path` relative to `dir` when it lies below it (both absolute and normal).
std::optional<fs::path> below(const fs::path& path, const fs::path& dir) {
  const fs::path rel = path.lexically_relative(dir);
  if (rel.empty() || *rel.begin() == "..") return std::nullopt;
  return rel;
}

// Absolute, normal, symlinks resolved where the path exists: one spelling per file.
fs::path canonical_path(const fs::path& path) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(path, ec);
  if (ec) p = fs::absolute(path, ec).lexically_normal();
  return p;
}

class Loader {
 public:
  Loader(const std::vector<std::string>& import_dirs, Diagnostics& diags,
         std::vector<std::string>* opened)
      : diags_(diags), opened_(opened) {
    std::error_code ec;
    cwd_ = canonical_path(fs::current_path(ec));
    for (const auto& dir : import_dirs) {
      import_dirs_.push_back(dir.empty() ? fs::path(".") : fs::path(dir));
      import_roots_.push_back(canonical_path(import_dirs_.back()));
    }
  }

  std::unique_ptr<ast::Program> run(const std::vector<std::string>& roots) {
    program_ = std::make_unique<ast::Program>();
    for (const auto& root : roots) {
      const ast::Module* m = load_file(fs::path(root), SourceRange{}, std::nullopt);
      if (m != nullptr &&
          std::find(program_->roots.begin(), program_->roots.end(), m) == program_->roots.end()) {
        program_->roots.push_back(m);
      }
    }
    mark_import_cycles(*program_);
    return std::move(program_);
  }

 private:
  struct Entry {
    ast::Module* module = nullptr;
    fs::path include_root;  // the folder include_path is relative to
    bool in_progress = false;
  };

  std::string display(const fs::path& path) const {
    if (path.is_relative()) return path.lexically_normal().generic_string();
    if (auto rel = below(path.lexically_normal(), cwd_)) return rel->generic_string();
    if (auto rel = below(canonical_path(path), cwd_)) return rel->generic_string();
    return path.lexically_normal().generic_string();
  }

  // Reads the whole file; reports and returns nullopt when it cannot.
  std::optional<std::string> read(const fs::path& path, SourceRange at) {
    std::error_code ec;
    int error = 0;
    std::string text;
    if (fs::is_directory(path, ec)) {
      error = EISDIR;
    } else if (std::FILE* f = std::fopen(path.c_str(), "rb")) {
      char buffer[65536];
      std::size_t n = 0;
      while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) text.append(buffer, n);
      if (std::ferror(f)) error = errno != 0 ? errno : EIO;
      std::fclose(f);
    } else {
      error = errno;
    }
    if (error != 0) {
      diags_.error(at, fmt::format("cannot open '{}': {}", display(path), std::strerror(error)));
      return std::nullopt;
    }
    return text;
  }

  // Where an import of `spelled` from `importer` (a path as opened) resolves, or
  // nullopt after reporting at `at`.
  std::optional<fs::path> resolve_import(const fs::path& importer, const std::string& spelled,
                                         SourceRange at) {
    std::error_code ec;
    std::vector<fs::path> candidates{importer.parent_path() / spelled};
    for (const auto& dir : import_dirs_) candidates.push_back(dir / spelled);
    for (const auto& c : candidates) {
      if (fs::is_regular_file(c, ec)) return c;
    }
    std::vector<std::string> dirs;
    for (const auto& dir : import_dirs_) dirs.push_back(fmt::format("'{}'", display(dir)));
    diags_.error(
        at, fmt::format("cannot open '{}': No such file or directory", spelled),
        dirs.empty()
            ? std::string("looked next to the importing file; no -I folders given")
            : fmt::format("looked next to the importing file and in {}", fmt::join(dirs, ", ")));
    return std::nullopt;
  }

  ast::Module* load_file(const fs::path& given, SourceRange at,
                         const std::optional<fs::path>& importer_root) {
    const fs::path path = given.lexically_normal();
    const fs::path canonical = canonical_path(path);
    const std::string key = canonical.string();
    if (auto it = entries_.find(key); it != entries_.end()) {
      // A file still being loaded closes an import cycle: allowed (sema decides
      // what may cross it), except a file importing itself, which says nothing.
      if (it->second.in_progress && !stack_.empty() && stack_.back().first == key) {
        diags_.error(at, fmt::format("'{}' imports itself", display(path)),
                     "remove the import: a file's own declarations are always visible");
        return nullptr;
      }
      return it->second.module;
    }

    std::optional<std::string> text = read(path, at);
    if (!text) return nullptr;
    if (opened_ != nullptr) opened_->push_back(path.generic_string());

    Entry entry;
    std::string include_path;
    for (const auto& root : import_roots_) {
      if (auto rel = below(canonical, root)) {
        include_path = rel->generic_string();
        entry.include_root = root;
        break;
      }
    }
    if (include_path.empty() && importer_root) {
      if (auto rel = below(canonical, *importer_root)) {
        include_path = rel->generic_string();
        entry.include_root = *importer_root;
      }
    }
    if (include_path.empty()) {
      include_path = canonical.filename().generic_string();
      entry.include_root = canonical.parent_path();
    }

    program_->files.push_back(std::make_unique<SourceFile>(
        SourceFile::make(path.generic_string(), display(path), std::move(*text))));
    const SourceFile& file = *program_->files.back();
    std::unique_ptr<ast::Module> module = parse::parse(file, diags_);
    module->include_path = std::move(include_path);
    entry.module = module.get();
    entry.in_progress = true;
    const fs::path root = entry.include_root;
    entries_.emplace(key, entry);
    stack_.emplace_back(key, file.display_path);

    for (ast::Import& imp : module->imports) {
      if (auto resolved = resolve_import(path, imp.path, imp.range)) {
        imp.module = load_file(*resolved, imp.range, root);
      }
    }

    stack_.pop_back();
    entries_[key].in_progress = false;
    ast::Module* raw = module.get();
    program_->modules.push_back(std::move(module));  // after its imports
    return raw;
  }

  Diagnostics& diags_;
  std::vector<std::string>* opened_;
  fs::path cwd_;
  std::vector<fs::path> import_dirs_;   // as given, to open files
  std::vector<fs::path> import_roots_;  // canonical, to compute include paths
  std::unique_ptr<ast::Program> program_;
  std::map<std::string, Entry> entries_;                    // by canonical path
  std::vector<std::pair<std::string, std::string>> stack_;  // (key, display path) being loaded
};

}  // namespace

void mark_import_cycles(ast::Program& program) {
  const auto reaches = [](const ast::Module* from, const ast::Module* to) {
    std::vector<const ast::Module*> todo{from};
    std::vector<const ast::Module*> seen;
    while (!todo.empty()) {
      const ast::Module* m = todo.back();
      todo.pop_back();
      if (m == to) return true;
      if (std::find(seen.begin(), seen.end(), m) != seen.end()) continue;
      seen.push_back(m);
      for (const ast::Import& imp : m->imports) {
        if (imp.module != nullptr) todo.push_back(imp.module);
      }
    }
    return false;
  };
  for (auto& m : program.modules) {
    for (ast::Import& imp : m->imports) {
      imp.in_cycle = imp.module != nullptr && reaches(imp.module, m.get());
    }
  }
}

std::unique_ptr<ast::Program> load(const std::vector<std::string>& roots,
                                   const std::vector<std::string>& import_dirs, Diagnostics& diags,
                                   std::vector<std::string>* opened_files) {
  Loader loader(import_dirs, diags, opened_files);
  return loader.run(roots);
}

}  // namespace lpc::driver
