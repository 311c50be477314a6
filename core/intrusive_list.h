// intrusive_list.h - a doubly linked list threaded through its elements
// (T::prev, T::next, T::linked), so adding, taking and removing from the
// middle are O(1) and never allocate. Not thread-safe: the pool lock guards
// every list.
#ifndef ANTS_CORE_INTRUSIVE_LIST_H
#define ANTS_CORE_INTRUSIVE_LIST_H

namespace ants {

template <typename T>
class IntrusiveList {
 public:
  int size() const { return size_; }
  bool empty() const { return size_ == 0; }
  T *front() const { return head_; }
  T *back() const { return tail_; }

  void PushFront(T *x) { LinkAfter(nullptr, x); }
  void PushBack(T *x) { LinkAfter(tail_, x); }
  T *PopFront() { return TakeIf(head_); }
  T *PopBack() { return TakeIf(tail_); }
  void Remove(T *x) { Unlink(x); }

  // Detaches every element and returns the first; walk with ->next, reading
  // it before handing each element back to its owner.
  T *TakeAll() {
    T *first = head_;
    for (T *x = first; x; x = x->next) x->linked = false;
    head_ = tail_ = nullptr;
    size_ = 0;
    return first;
  }

 private:
  T *TakeIf(T *x) {
    if (x) Unlink(x);
    return x;
  }

  void LinkAfter(T *pos, T *x) {
    x->linked = true;
    x->prev = pos;
    x->next = pos ? pos->next : head_;
    if (x->next) {
      x->next->prev = x;
    } else {
      tail_ = x;
    }
    if (pos) {
      pos->next = x;
    } else {
      head_ = x;
    }
    ++size_;
  }

  void Unlink(T *x) {
    if (x->prev) {
      x->prev->next = x->next;
    } else {
      head_ = x->next;
    }
    if (x->next) {
      x->next->prev = x->prev;
    } else {
      tail_ = x->prev;
    }
    x->prev = x->next = nullptr;
    x->linked = false;
    --size_;
  }

  T *head_ = nullptr;
  T *tail_ = nullptr;
  int size_ = 0;
};

}  // namespace ants

#endif
