// The ants_slot_* functions: places in a pool for tasks libants does not
// run (ants.h, "Slots"), and the group calls such tasks need.
#include "handle.h"
#include "slot_listeners.h"

using ants::capi::Guard;

extern "C" {

ANTS_EXTERN int ants_slot_acquire(ants_slot *out, ants_pool *p, int64_t timeout_ms) {
  if (!out || !p) return ANTS_ERR_INVALID_ARGUMENT;
  return Guard([&] { return p->impl->AcquireSlot(out, timeout_ms < 0 ? -1 : timeout_ms); });
}

ANTS_EXTERN int ants_slot_acquire_async(ants_slot *out, int64_t *out_ticket, ants_pool *p,
                                        ants_slot_grant_fn fn, void *ctx) {
  if (!out || !out_ticket || !p || !fn) return ANTS_ERR_INVALID_ARGUMENT;
  return Guard([&] { return p->impl->AcquireSlotAsync(out, out_ticket, fn, ctx); });
}

ANTS_EXTERN int ants_slot_cancel(ants_pool *p, int64_t ticket) {
  if (!p || ticket == 0) return ANTS_ERR_INVALID_ARGUMENT;
  return Guard([&] { return p->impl->CancelSlotWait(ticket); });
}

ANTS_EXTERN int ants_slot_begin(ants_pool *p, ants_slot slot) {
  if (!p || slot == 0) return ANTS_ERR_INVALID_ARGUMENT;
  return Guard([&] { return p->impl->BeginSlot(slot); });
}

ANTS_EXTERN int ants_slot_end(ants_pool *p, ants_slot slot) {
  if (!p || slot == 0) return ANTS_ERR_INVALID_ARGUMENT;
  return Guard([&] { return p->impl->EndSlot(slot); });
}

ANTS_EXTERN int ants_slot_release(ants_pool *p, ants_slot slot) {
  if (!p || slot == 0) return ANTS_ERR_INVALID_ARGUMENT;
  return Guard([&] { return p->impl->ReleaseSlot(slot); });
}

ANTS_EXTERN int ants_slot_listener_add(int64_t *out_id, ants_pool *p, ants_slot_listener_fn fn,
                                       void *ctx) {
  if (!out_id || !p || !fn) return ANTS_ERR_INVALID_ARGUMENT;
  return Guard([&] {
    const int64_t id = ants::SlotListeners::NewId();
    p->impl->AddSlotListener(id, fn, ctx, p);
    *out_id = id;
    return static_cast<int>(ANTS_OK);
  });
}

ANTS_EXTERN int ants_slot_listener_remove(ants_pool *p, int64_t id) {
  if (!p) return ANTS_ERR_INVALID_ARGUMENT;
  return Guard([&] {
    return static_cast<int>(p->impl->RemoveSlotListener(id) ? ANTS_OK : ANTS_ERR_INVALID_ARGUMENT);
  });
}

ANTS_EXTERN int ants_pool_expiry_ms(int64_t *out, const ants_pool *p) {
  if (!out || !p) return ANTS_ERR_INVALID_ARGUMENT;
  *out = p->impl->ExpiryMs();
  return ANTS_OK;
}

ANTS_EXTERN int ants_group_enter(ants_group *g) {
  if (!g) return ANTS_ERR_INVALID_ARGUMENT;
  g->impl->Add();
  return ANTS_OK;
}

ANTS_EXTERN int ants_group_leave(ants_group *g, int panicked) {
  if (!g) return ANTS_ERR_INVALID_ARGUMENT;
  g->impl->Done(panicked != 0);
  return ANTS_OK;
}

}  // extern "C"
