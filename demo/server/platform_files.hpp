// The platform mappings (platforms/*.json), compiled into the server by CMake so that a binary
// always runs with the mappings of its own version, whatever its working directory.
#pragma once

#include <string_view>
#include <vector>

namespace loyalty::server {

struct PlatformFile {
  std::string_view name;  // the file's name without ".json": the {platform} of the URL
  std::string_view text;
};

/// Every platforms/*.json of the source tree when CMake last configured.
const std::vector<PlatformFile>& builtin_platform_files();

}  // namespace loyalty::server
