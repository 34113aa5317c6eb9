// Embind registers every C++ builtin type at start-up (bind.cpp), and each registration brings
// its converters into loyalty-core.js. The binding (bindings.cpp) passes only std::string,
// unsigned int and emscripten::val (a Uint8Array), so the registrations of the types it never
// passes are no-ops here: wide strings (std::wstring, std::u16string, std::u32string and their
// UTF-16/32 converters), bool and float/double. 0.6 KB of brotli.
//
// A function bound later with one of these types still registers, and calling it throws
// Embind's UnboundTypeError naming the type: remove the line here for the type it needs.
mergeInto(LibraryManager.library, {
  _embind_register_std_wstring: function (rawType, charSize, name) {},
  _embind_register_bool: function (rawType, name, size, trueValue, falseValue) {},
  _embind_register_float: function (rawType, name, size) {},
});
