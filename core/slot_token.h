// slot_token.h - what an ants_slot or an async ticket says: the sub-pool of
// a multipool it belongs to (low bits) and a number (the pool's generation
// for a slot, a sequence number for a ticket) biased by one, so a valid
// token is never 0.
#ifndef ANTS_CORE_SLOT_TOKEN_H
#define ANTS_CORE_SLOT_TOKEN_H

#include <cstdint>

namespace ants::slot_token {

constexpr int kIndexBits = 24;
constexpr int kMaxIndex = (1 << kIndexBits) - 1;

inline int64_t Make(uint64_t number, int index) {
  return static_cast<int64_t>(((number + 1) << kIndexBits) | static_cast<uint64_t>(index));
}
inline int Index(int64_t token) {
  return static_cast<int>(token & kMaxIndex);
}
inline uint64_t Number(int64_t token) {
  return (static_cast<uint64_t>(token) >> kIndexBits) - 1;
}

}  // namespace ants::slot_token

#endif
