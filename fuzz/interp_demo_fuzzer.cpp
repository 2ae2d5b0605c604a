// Differential fuzz target over the test schemas: the interpreter (codegen/interp,
// `lpc dump`) against the generated views of every struct of
// tests/codegen/backend/schemas/demo/*.lps (issue 23: "also over every schema
// under tests/codegen"), in one binary, except cycle_a.lps and cycle_b.lps,
// whose package declares another `demo.Kind` than serialize.lps
// (interp_demo_cycle_fuzzer.cpp). The first input byte picks the struct (its
// index in kTypes, modulo their number); the rest is that struct's input as
// interp_fuzzer.cpp takes it: the arguments of its parameters first, as the
// generated fuzz kit takes them, then the buffer.
//
// Invariants (interp_target.hpp): with default limits and with small ones, both
// accept or both reject, with the same error, JSON, hexdump and tree, and the
// same verify_checksums() outcome where the interpreter can check it.
//
// At the first input the schemas are compiled from the source tree, and every
// struct they declare must be in kTypes (lp_fuzz::TypeTable).
#include <cstddef>
#include <cstdint>
#include <iterator>

#include "demo/checksums.lp.hpp"
#include "demo/features.lp.hpp"
#include "demo/language.lp.hpp"
#include "demo/references.lp.hpp"
#include "demo/sequences.lp.hpp"
#include "demo/serialize.lp.hpp"
#include "demo/structure.lp.hpp"
#include "demo/warnings.lp.hpp"
#include "interp_target.hpp"

namespace {

// Every struct of the schemas, by file; the order is the meaning of the first
// input byte (append, so that the corpus keeps its meaning).
constexpr lp_fuzz::TypeTable::Entry kTypes[] = {
    // checksums.lps
    LP_FUZZ_TYPE(demo::Tagged),
    LP_FUZZ_TYPE(demo::Framed),
    // features.lps
    LP_FUZZ_TYPE(demo::features::Point),
    LP_FUZZ_TYPE(demo::features::Bits),
    LP_FUZZ_TYPE(demo::features::Numbers),
    LP_FUZZ_TYPE(demo::features::Message),
    LP_FUZZ_TYPE(demo::features::Difference),
    LP_FUZZ_TYPE(demo::features::Link),
    // language.lps
    LP_FUZZ_TYPE(demo::language::Early),
    LP_FUZZ_TYPE(demo::language::Ident),
    LP_FUZZ_TYPE(demo::language::Publish),
    LP_FUZZ_TYPE(demo::language::Packet),
    LP_FUZZ_TYPE(demo::language::Entry),
    LP_FUZZ_TYPE(demo::language::EntryList),
    LP_FUZZ_TYPE(demo::language::Vxlan),
    LP_FUZZ_TYPE(demo::language::MqttConnect),
    LP_FUZZ_TYPE(demo::language::Magic),
    LP_FUZZ_TYPE(demo::language::Topic),
    LP_FUZZ_TYPE(demo::language::Subscribe),
    LP_FUZZ_TYPE(demo::language::Measures),
    LP_FUZZ_TYPE(demo::language::Bootp),
    LP_FUZZ_TYPE(demo::language::OptParam),
    LP_FUZZ_TYPE(demo::language::ExtParam),
    LP_FUZZ_TYPE(demo::language::ExtParams),
    LP_FUZZ_TYPE(demo::language::PlainParams),
    LP_FUZZ_TYPE(demo::language::BgpOpen),
    LP_FUZZ_TYPE(demo::language::OneRecord),
    LP_FUZZ_TYPE(demo::language::Peeked),
    LP_FUZZ_TYPE(demo::language::DhcpOptionBody),
    LP_FUZZ_TYPE(demo::language::DhcpOption),
    LP_FUZZ_TYPE(demo::language::DhcpOptions),
    LP_FUZZ_TYPE(demo::language::BootpText64),
    LP_FUZZ_TYPE(demo::language::BootpText128),
    LP_FUZZ_TYPE(demo::language::Dhcp),
    LP_FUZZ_TYPE(demo::language::PeekAfterData),
    // references.lps
    LP_FUZZ_TYPE(demo::Directory),
    LP_FUZZ_TYPE(demo::DirEntry),
    LP_FUZZ_TYPE(demo::Blob),
    // sequences.lps
    LP_FUZZ_TYPE(demo::sequences::TlvBody),
    LP_FUZZ_TYPE(demo::sequences::TcpOption),
    LP_FUZZ_TYPE(demo::sequences::Tcp),
    LP_FUZZ_TYPE(demo::sequences::Ipv4Options),
    LP_FUZZ_TYPE(demo::sequences::Record),
    LP_FUZZ_TYPE(demo::sequences::Counted),
    LP_FUZZ_TYPE(demo::sequences::RestRecords),
    LP_FUZZ_TYPE(demo::sequences::Point),
    LP_FUZZ_TYPE(demo::sequences::Terminated),
    LP_FUZZ_TYPE(demo::sequences::UntilEmpty),
    LP_FUZZ_TYPE(demo::sequences::Strings),
    LP_FUZZ_TYPE(demo::sequences::Varints),
    LP_FUZZ_TYPE(demo::sequences::FlagBits),
    LP_FUZZ_TYPE(demo::sequences::Checked),
    LP_FUZZ_TYPE(demo::sequences::CheckedArray),
    LP_FUZZ_TYPE(demo::sequences::UntilOverflow),
    // serialize.lps
    LP_FUZZ_TYPE(demo::Point),
    LP_FUZZ_TYPE(demo::Item),
    LP_FUZZ_TYPE(demo::Header),
    LP_FUZZ_TYPE(demo::Bag),
    LP_FUZZ_TYPE(demo::Sized),
    LP_FUZZ_TYPE(demo::Pair),
    // structure.lps
    LP_FUZZ_TYPE(demo::structure::Point),
    LP_FUZZ_TYPE(demo::structure::Options),
    LP_FUZZ_TYPE(demo::structure::Record),
    LP_FUZZ_TYPE(demo::structure::Aligned),
    LP_FUZZ_TYPE(demo::structure::Header),
    LP_FUZZ_TYPE(demo::structure::Signed),
    LP_FUZZ_TYPE(demo::structure::UsesSigned),
    LP_FUZZ_TYPE(demo::structure::Small),
    LP_FUZZ_TYPE(demo::structure::FileHeader),
    LP_FUZZ_TYPE(demo::structure::RecordHeader),
    LP_FUZZ_TYPE(demo::structure::Trailer),
    LP_FUZZ_TYPE(demo::structure::Capture),
    LP_FUZZ_TYPE(demo::structure::Packet),
    LP_FUZZ_TYPE(demo::structure::Hello),
    LP_FUZZ_TYPE(demo::structure::HelloExtensions),
    LP_FUZZ_TYPE(demo::structure::Divided),
    // warnings.lps
    LP_FUZZ_TYPE(demo::OnlyText),
    LP_FUZZ_TYPE(demo::Nothing),
    LP_FUZZ_TYPE(demo::OnlyPadding),
    LP_FUZZ_TYPE(demo::SizedArms),
    // serialize.lps again: added later, at the end so that the byte of every
    // earlier type (and of the corpus's inputs) stays what it was
    LP_FUZZ_TYPE(demo::Wide),
    // language.lps's carried values, added later too
    LP_FUZZ_TYPE(demo::language::NumberedOption),
    LP_FUZZ_TYPE(demo::language::NumberedOptions),
    LP_FUZZ_TYPE(demo::language::Step),
    LP_FUZZ_TYPE(demo::language::Walk),
};
static_assert(std::size(kTypes) <= 256, "the first input byte picks the type");

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const lp_fuzz::TypeTable types(
      LP_DEMO_SCHEMA_DIR,
      {"demo/checksums.lps", "demo/features.lps", "demo/language.lps", "demo/references.lps",
       "demo/sequences.lps", "demo/serialize.lps", "demo/structure.lps", "demo/warnings.lps"},
      kTypes);
  types.run(data, size);
  return 0;
}
