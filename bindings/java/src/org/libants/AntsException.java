package org.libants;

/**
 * A libants status code as an unchecked exception. Each code has its own
 * subclass (PoolClosedException, PoolOverloadException, ...); a code this
 * version of the binding does not know arrives as a plain AntsException.
 */
public class AntsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int code;

  AntsException(int code) {
    super(AntsC.ants_strerror(code) + " (" + code + ")");
    this.code = code;
  }

  /** The ANTS_ERR_* code from ants.h (negative). */
  public int code() {
    return code;
  }

  /** The exception for a status code; code must not be ANTS_OK. */
  static AntsException of(int code) {
    switch (code) {
      case ants_status.ANTS_ERR_INVALID_ARGUMENT: return new InvalidArgumentException();
      case ants_status.ANTS_ERR_LACK_POOL_FUNC: return new LackPoolFuncException();
      case ants_status.ANTS_ERR_INVALID_POOL_EXPIRY: return new InvalidPoolExpiryException();
      case ants_status.ANTS_ERR_POOL_CLOSED: return new PoolClosedException();
      case ants_status.ANTS_ERR_POOL_OVERLOAD: return new PoolOverloadException();
      case ants_status.ANTS_ERR_INVALID_PRE_ALLOC_SIZE: return new InvalidPreAllocSizeException();
      case ants_status.ANTS_ERR_TIMEOUT: return new AntsTimeoutException();
      case ants_status.ANTS_ERR_INVALID_POOL_INDEX: return new InvalidPoolIndexException();
      case ants_status.ANTS_ERR_INVALID_LOAD_BALANCING_STRATEGY:
        return new InvalidLoadBalancingStrategyException();
      case ants_status.ANTS_ERR_INVALID_MULTI_POOL_SIZE: return new InvalidMultiPoolSizeException();
      case ants_status.ANTS_ERR_NO_MEMORY: return new AntsOutOfMemoryException();
      case ants_status.ANTS_ERR_SYSTEM: return new AntsSystemException();
      case ants_status.ANTS_ERR_WOULD_DEADLOCK: return new WouldDeadlockException();
      default: return new AntsException(code);
    }
  }

  /** Throws the exception for a failed status; ANTS_OK returns normally. */
  static void check(int status) {
    if (status != ants_status.ANTS_OK) throw of(status);
  }
}
