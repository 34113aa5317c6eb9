// Static files under URL prefixes (--static /PREFIX=DIR): the storefront, the preview and the
// launcher's own files. Paths are decoded and checked by the HTTP layer; here they are kept
// inside their directory.
#pragma once

#include <string>
#include <vector>

#include "http_request.hpp"
#include "http_server.hpp"

namespace loyalty::server {

struct StaticMount {
  std::string prefix;     // "/web", or "/" for the site root
  std::string directory;  // absolute or relative to the working directory
};

class StaticFiles {
 public:
  /// `headers` go with every file (nosniff, the CSP).
  StaticFiles(std::vector<StaticMount> mounts,
              std::vector<std::pair<std::string, std::string>> headers);

  /// Fills `answer` with the file a GET or HEAD `request` names under a mount: 200 with the
  /// file, or 304 when the client's ETag matches. False when no mount has such a file.
  /// A Range header is ignored (the whole file is sent): ranges bring nothing to these
  /// files and many ranges multiply the bytes sent.
  bool serve(const Request& request, HttpResponse& answer) const;

  /// The media type for a file name, by extension.
  static std::string content_type(const std::string& path);

 private:
  std::vector<StaticMount> mounts_;
  std::vector<std::pair<std::string, std::string>> headers_;
};

}  // namespace loyalty::server
