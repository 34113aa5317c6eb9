#include "static_files.hpp"

#include <sys/stat.h>

#include <cstdio>

namespace loyalty::server {

namespace {

bool ends_with(const std::string& text, const char* suffix) {
  const std::string tail(suffix);
  return text.size() >= tail.size() &&
         text.compare(text.size() - tail.size(), tail.size(), tail) == 0;
}

/// The part of `path` under `prefix`, or false when `path` is not under it.
bool strip_prefix(const std::string& path, const std::string& prefix, std::string& rest) {
  if (prefix == "/") {
    rest = path.substr(1);
    return true;
  }
  if (path.compare(0, prefix.size(), prefix) != 0) return false;
  if (path.size() == prefix.size()) {
    rest.clear();
    return true;
  }
  if (path[prefix.size()] != '/') return false;
  rest = path.substr(prefix.size() + 1);
  return true;
}

/// True when no segment of `relative` is "." or ".." and there is no backslash: the file
/// stays inside its mount.
bool stays_inside(const std::string& relative) {
  if (relative.find('\\') != std::string::npos) return false;
  std::size_t start = 0;
  while (start <= relative.size()) {
    std::size_t end = relative.find('/', start);
    if (end == std::string::npos) end = relative.size();
    const std::string segment = relative.substr(start, end - start);
    if (segment == "." || segment == "..") return false;
    start = end + 1;
  }
  return true;
}

}  // namespace

StaticFiles::StaticFiles(std::vector<StaticMount> mounts,
                         std::vector<std::pair<std::string, std::string>> headers)
    : mounts_(std::move(mounts)), headers_(std::move(headers)) {
  for (auto& mount : mounts_)
    while (mount.prefix.size() > 1 && mount.prefix.back() == '/') mount.prefix.pop_back();
}

std::string StaticFiles::content_type(const std::string& path) {
  static const std::pair<const char*, const char*> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript"},
      {".mjs", "text/javascript"},
      {".css", "text/css"},
      {".wasm", "application/wasm"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".txt", "text/plain; charset=utf-8"},
  };
  for (const auto& [extension, type] : kTypes)
    if (ends_with(path, extension)) return type;
  return "application/octet-stream";
}

bool StaticFiles::serve(const Request& request, HttpResponse& answer) const {
  if (request.method != "GET" && request.method != "HEAD") return false;
  for (const auto& mount : mounts_) {
    std::string relative;
    if (!strip_prefix(request.path, mount.prefix, relative) || !stays_inside(relative)) continue;
    if (relative.empty() || relative.back() == '/') relative += "index.html";
    const std::string file = mount.directory + "/" + relative;
    struct stat info {};
    if (::stat(file.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) continue;

    // Weak validator from size and modification time, so a reload revalidates cheaply.
    char etag[64];
    std::snprintf(etag, sizeof etag, "\"%llx-%llx\"", static_cast<unsigned long long>(info.st_size),
                  static_cast<unsigned long long>(info.st_mtime));
    answer = HttpResponse{};
    answer.headers = headers_;
    answer.set_header("ETag", etag);
    answer.set_header("Cache-Control", "no-cache");
    // The launcher's files are public and loaded by shops on other origins: module scripts,
    // the wasm and the catalogs in CORS mode (they need the grant, on a 304 too), the classic
    // script tag in no-cors mode (a shop with Cross-Origin-Embedder-Policy needs CORP).
    if (ends_with(file, ".js") || ends_with(file, ".mjs") || ends_with(file, ".wasm") ||
        ends_with(file, ".css") || ends_with(file, ".json") || ends_with(file, ".map")) {
      answer.set_header("Access-Control-Allow-Origin", "*");
      answer.set_header("Cross-Origin-Resource-Policy", "cross-origin");
    }
    if (request.get_header_value("If-None-Match") == etag) {
      answer.status = 304;
      return true;
    }
    answer.status = 200;
    answer.set_header("Content-Type", content_type(file));
    answer.file_path = file;
    answer.head_only = request.method == "HEAD";
    return true;
  }
  return false;
}

}  // namespace loyalty::server
