// Embind names a type it cannot convert by asking the wasm (__getTypeName). Without RTTI that
// name is the type's id printed with sprintf("%p"), which drags musl's printf into the module
// (about 4 KB of wasm). The same text made here lets wasm-opt drop the export and printf.
// Only ever shown in an UnboundTypeError, which a complete binding never raises.
mergeInto(LibraryManager.library, {
  $getTypeName__deps: [],
  $getTypeName: function (type) {
    return '0x' + ('0000000' + type.toString(16)).slice(-8);
  },
});
