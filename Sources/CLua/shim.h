// Inline wrappers for the parts of the Lua 5.4 C API that Swift cannot call directly (macros),
// and the C side of the sandbox limits. Everything here that may raise a Lua error (longjmp)
// stays in C and is only ever entered through lua_pcall: no Lua error unwinds Swift frames.
#ifndef HUIQI_CLUA_SHIM_H
#define HUIQI_CLUA_SHIM_H

#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <signal.h>
#include <time.h>
#include <pthread.h>
#include <stdint.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/mman.h>

// MARK: - Macro wrappers

static inline void hq_pop(lua_State *L, int n) { lua_pop(L, n); }
static inline void hq_newtable(lua_State *L) { lua_newtable(L); }
static inline const char *hq_tostring(lua_State *L, int i, size_t *len) { return lua_tolstring(L, i, len); }
static inline int hq_pcall(lua_State *L, int nargs, int nresults, int msgh) { return lua_pcall(L, nargs, nresults, msgh); }
static inline int hq_registryindex(void) { return LUA_REGISTRYINDEX; }
static inline int hq_upvalueindex(int i) { return lua_upvalueindex(i); }
static inline int hq_isnil(lua_State *L, int i) { return lua_isnil(L, i); }
static inline int hq_isnoneornil(lua_State *L, int i) { return lua_isnoneornil(L, i); }
static inline lua_Integer hq_tointeger(lua_State *L, int i, int *isnum) { return lua_tointegerx(L, i, isnum); }
static inline lua_Number hq_tonumber(lua_State *L, int i, int *isnum) { return lua_tonumberx(L, i, isnum); }
static inline void hq_pushcfunction(lua_State *L, lua_CFunction f) { lua_pushcfunction(L, f); }
static inline void hq_remove(lua_State *L, int i) { lua_remove(L, i); }
static inline void hq_insert(lua_State *L, int i) { lua_insert(L, i); }
static inline void hq_replace(lua_State *L, int i) { lua_replace(L, i); }
static inline int hq_ok(void) { return LUA_OK; }
static inline int hq_multret(void) { return LUA_MULTRET; }
static inline void hq_gc_collect(lua_State *L) { lua_gc(L, LUA_GCCOLLECT, 0); }
static inline int hq_gc_count_kb(lua_State *L) { return lua_gc(L, LUA_GCCOUNT, 0); }

// MARK: - Limits: a memory cap (allocator) and an instruction budget (count hook)

/// Per-state accounting. Lives in the state's extra space (as a pointer) and as the allocator's ud.
typedef struct hq_limits {
    size_t used;          // bytes currently allocated by this state
    size_t cap;           // 0 = unlimited
    long long budget;     // instructions left in the current evaluation
    long long budget_total;
    int step;             // instructions between hook calls
    int exhausted;        // set once the budget ran out, until the next evaluation starts
    int armed;            // 1 while an evaluation is being metered
    char where[96];       // "Rules/x.lua:16": the line running when the budget ran out ("" if unknown)
    // Lazy metering (see hq_lazy_begin): touched by the CPU-timer signal handler on the same thread.
    volatile sig_atomic_t lazy_tripped;  // the handler turned the count hook on: redo the call metered
    volatile unsigned long epoch;        // counts lazily metered calls
    volatile unsigned long seen_epoch;   // the epoch the handler saw at its last tick
    struct hq_pool *pool;                // small blocks (see hq_pool); NULL until the first one
    unsigned long markers;               // missing-field markers raised (hq_strict_index)
    long long started_ns;                // the thread's CPU time when the metered evaluation started
    unsigned clock_checks;               // hook calls since the CPU clock was last read
    int over_time;                       // the evaluation ran out of CPU time, not of instructions
} hq_limits;

/// CPU seconds one metered evaluation may take, whatever its instruction count: a loop around a
/// C function that works on a large string (`s:upper()` on 100 kB) spends 10 µs an instruction,
/// so the 10M-instruction budget let one business take 217 s (sandbox review). A business takes
/// about 20 µs; a second is far past any rule that ends.
#define HQ_MAX_EVAL_CPU_NS 1000000000LL

static inline long long hq_thread_cpu_ns(void) {
    struct timespec t;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t) != 0) return 0;
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static inline hq_limits *hq_limits_of(lua_State *L) { return *(hq_limits **)lua_getextraspace(L); }

// MARK: - Small-block pool
//
// Lua allocates and frees many small blocks (strings, tables, closures, call frames) for every
// business: glibc's malloc, free and realloc took ~8.6k instructions a business under callgrind
// (about 6% of the host's evaluate), much of it in _int_malloc/_int_free after the collector's
// bursts of frees overflowed the thread cache. Lua always passes a block's size to the allocator,
// so blocks of up to HQ_POOL_MAX bytes come from per-size free lists with no header: 16-byte
// classes carved from one arena per state. A state is used by one thread at a time: no lock.
//
// The arena is bounded (HQ_POOL_ARENA of address space; pages become resident as they are
// carved): a free list keeps its blocks for its own size, so without a bound a rule that filled
// the memory cap with blocks of one size, then of another, would leave the process holding a cap's
// worth per size class. Once the arena is carved, small blocks come from malloc like large ones;
// whether a block is the arena's is a range check on its address.

#define HQ_POOL_GRAIN 16
#define HQ_POOL_MAX 512
#define HQ_POOL_CLASSES (HQ_POOL_MAX / HQ_POOL_GRAIN)
#define HQ_POOL_ARENA ((size_t)8 << 20)

typedef struct hq_pool {
    void *free[HQ_POOL_CLASSES + 1];  // free[c]: blocks of c * HQ_POOL_GRAIN bytes, linked through their first word
    char *base, *next, *end;          // the arena [base, end); next: its first byte not yet carved
} hq_pool;

static inline size_t hq_pool_class(size_t n) { return (n + HQ_POOL_GRAIN - 1) / HQ_POOL_GRAIN; }

/// Whether `block` was carved from the state's arena (else it came from malloc).
static inline int hq_pool_owns(const hq_limits *lim, const void *block) {
    const hq_pool *pool = lim->pool;
    return pool && (const char *)block >= pool->base && (const char *)block < pool->end;
}

/// A block for n (1...HQ_POOL_MAX) bytes from the arena, or NULL when it is used up (or could not
/// be made): the caller then uses malloc.
static inline void *hq_pool_take(hq_limits *lim, size_t n) {
    hq_pool *pool = lim->pool;
    if (!pool) {
        pool = (hq_pool *)calloc(1, sizeof(hq_pool));
        if (!pool) return NULL;
        void *arena = mmap(NULL, HQ_POOL_ARENA, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (arena != MAP_FAILED) {
            pool->base = pool->next = (char *)arena;
            pool->end = (char *)arena + HQ_POOL_ARENA;
        }
        lim->pool = pool;
    }
    size_t c = hq_pool_class(n);
    void *block = pool->free[c];
    if (block) {
        pool->free[c] = *(void **)block;
        return block;
    }
    size_t bytes = c * HQ_POOL_GRAIN;
    if ((size_t)(pool->end - pool->next) < bytes) return NULL;
    block = pool->next;
    pool->next += bytes;
    return block;
}

static inline void hq_pool_give(hq_limits *lim, void *block, size_t n) {
    size_t c = hq_pool_class(n);
    *(void **)block = lim->pool->free[c];
    lim->pool->free[c] = block;
}

/// A new block of n bytes: small ones from the arena while it lasts.
static inline void *hq_block_new(hq_limits *lim, size_t n) {
    void *p = n <= HQ_POOL_MAX ? hq_pool_take(lim, n) : NULL;
    return p ? p : malloc(n);
}

/// Frees a block of n bytes wherever it came from.
static inline void hq_block_free(hq_limits *lim, void *block, size_t n) {
    if (hq_pool_owns(lim, block)) hq_pool_give(lim, block, n);
    else free(block);
}

/// Unmaps the arena (once the state that used it is closed).
static inline void hq_free_pool(hq_limits *lim) {
    hq_pool *pool = lim->pool;
    if (!pool) return;
    if (pool->base) munmap(pool->base, HQ_POOL_ARENA);
    free(pool);
    lim->pool = NULL;
}

static inline size_t hq_pool_arena_size(void) { return HQ_POOL_ARENA; }

/// Bytes of the arena carved so far (in use or on a free list): the most it holds resident.
static inline size_t hq_pool_carved(const hq_limits *lim) {
    return lim->pool ? (size_t)(lim->pool->next - lim->pool->base) : 0;
}

/// A lua_Alloc that refuses to grow past `cap`; Lua turns the refusal into a memory error.
/// Small blocks come from the state's arena while it lasts; the rest from malloc.
static void *hq_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    hq_limits *lim = (hq_limits *)ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        if (ptr) hq_block_free(lim, ptr, old);
        lim->used -= old;
        return NULL;
    }
    if (lim->cap && nsize > old && lim->used - old + nsize > lim->cap) return NULL;
    void *p;
    if (!ptr) {
        p = hq_block_new(lim, nsize);
    } else if (!hq_pool_owns(lim, ptr)) {
        p = realloc(ptr, nsize);  // a malloc'd block stays one
    } else if (nsize <= HQ_POOL_MAX && hq_pool_class(nsize) == hq_pool_class(old)) {
        p = ptr;
    } else {
        p = hq_block_new(lim, nsize);
        if (p) {
            memcpy(p, ptr, old < nsize ? old : nsize);
            hq_pool_give(lim, ptr, old);
        } else if (nsize < old) {
            // Lua assumes a shrink cannot fail: with no memory for a new block, the old one (large
            // enough) serves the smaller size and goes to that size's free list when freed.
            p = ptr;
        }
    }
    if (p) {
        lim->used = lim->used - old + nsize;
    }
    return p;
}

/// Count hook: charges `step` instructions per call; past the budget it raises an error and then
/// fires on every instruction, so a rule that catches the error with pcall cannot keep running.
/// The error names the innermost line of rule code (a chunk loaded from a file: source "@…")
/// running when the budget ran out, the loop usually, and not the engine or sandbox function
/// that happened to be running: the same in every later raise, including the one that reaches
/// the host from engine code.
static void hq_count_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    hq_limits *lim = hq_limits_of(L);
    if (lim->lazy_tripped) {
        // Fires on every instruction until the host sees the trip and redoes the call metered.
        luaL_error(L, "evaluation interrupted to be redone with the instruction budget metered");
    }
    if (!lim->armed) return;
    if (!lim->exhausted) {
        lim->budget -= lim->step;
        if (lim->budget > 0) {
            // The clock every 16 calls (16k instructions at the default step): cheap, and soon
            // enough, since the clock only matters when instructions are slow.
            if ((++lim->clock_checks & 15) != 0) return;
            if (hq_thread_cpu_ns() - lim->started_ns < HQ_MAX_EVAL_CPU_NS) return;
            lim->over_time = 1;
        }
        lim->exhausted = 1;
        lim->where[0] = 0;
        lua_Debug frame;
        for (int level = 0; level < 64 && lua_getstack(L, level, &frame); level++) {
            if (lua_getinfo(L, "Sl", &frame) && frame.source && frame.source[0] == '@' && frame.currentline > 0) {
                snprintf(lim->where, sizeof lim->where, "%s:%d: ", frame.short_src, frame.currentline);
                break;
            }
        }
        lua_sethook(L, hq_count_hook, LUA_MASKCOUNT, 1);
    }
    if (lim->over_time) {
        lua_pushfstring(L, "%sinstruction budget exceeded: more than %d s of CPU time in one evaluation "
                           "(超出时间限制, 可能是死循环或对大字符串的反复处理)", lim->where, (int)(HQ_MAX_EVAL_CPU_NS / 1000000000LL));
    } else {
        lua_pushfstring(L, "%sinstruction budget exceeded: more than %I instructions in one evaluation "
                           "(超出指令预算, 可能是死循环)", lim->where, (lua_Integer)lim->budget_total);
    }
    lua_error(L);
}

/// Creates a state with the metered allocator; `lim` must outlive the state.
static inline lua_State *hq_newstate(hq_limits *lim) {
    lua_State *L = lua_newstate(hq_alloc, lim);
    if (L) *(hq_limits **)lua_getextraspace(L) = lim;
    else hq_free_pool(lim);
    return L;
}

/// Closes a state made by hq_newstate and frees its pool (`lim` itself stays the caller's).
static inline void hq_close(lua_State *L, hq_limits *lim) {
    lua_close(L);
    hq_free_pool(lim);
}

/// Starts metering an evaluation with a fresh budget (called from Lua through hq_lua_meter and from Swift).
static inline void hq_arm(lua_State *L) {
    hq_limits *lim = hq_limits_of(L);
    lim->budget = lim->budget_total;
    lim->exhausted = 0;
    lim->over_time = 0;
    lim->clock_checks = 0;
    lim->started_ns = hq_thread_cpu_ns();
    lim->armed = 1;
    lua_sethook(L, hq_count_hook, LUA_MASKCOUNT, lim->step);
}

/// Stops metering (after the protected call returned, so no rule code is running).
static inline void hq_disarm(lua_State *L) {
    hq_limits *lim = hq_limits_of(L);
    lim->armed = 0;
    lim->exhausted = 0;
    lua_sethook(L, NULL, 0, 0);
}

// MARK: - Lazy metering
//
// A count hook makes Lua 5.4 call luaG_traceexec before *every* VM instruction (whatever the hook
// step), which costs about a third of the host's evaluation time. Lazy metering runs an
// evaluation without the hook, and guarantees the same result as a metered run:
//  * each thread that evaluates has a CPU-time timer that sends it a signal every
//    HQ_LAZY_TICK_NS of its CPU time; when two ticks see the same evaluation still running, the
//    handler turns the count hook on (lua_sethook is meant to be callable from a signal handler,
//    as lua.c does for Ctrl-C) and the hook stops the evaluation;
//  * the host redoes the call metered when it was stopped so, or when it took
//    HQ_LAZY_MAX_NS of wall time or more (an upper bound of its CPU time): in less CPU time
//    than that, no Lua code can run the
//    HQ_LAZY_MIN_BUDGET instructions below which lazy metering is not used (1 ms is 4,000,000
//    instructions at 0.25 ns each, one cycle at 4 GHz, far faster than any VM instruction).
// Memory limits and the C-call guards are unchanged.

#define HQ_LAZY_TICK_NS 500000L
#define HQ_LAZY_MAX_NS 1000000LL
#define HQ_LAZY_MIN_BUDGET 4000000LL

static __thread lua_State *volatile hq_lazy_L = NULL;   // the state this thread evaluates lazily, if any
static __thread int hq_lazy_thread_state = 0;           // 0 untried, 1 timer running, -1 unavailable
static pthread_key_t hq_lazy_timer_key = 0;
static pthread_once_t hq_lazy_once_flag = PTHREAD_ONCE_INIT;
static int hq_lazy_signal = 0;
static int hq_lazy_available = 0;

static void hq_lazy_tick(int sig, siginfo_t *info, void *context) {
    (void)sig; (void)info; (void)context;
    lua_State *L = hq_lazy_L;
    if (L == NULL) return;
    hq_limits *lim = hq_limits_of(L);
    if (lim->seen_epoch == lim->epoch) {
        if (!lim->lazy_tripped) {
            lim->lazy_tripped = 1;
            lua_sethook(L, hq_count_hook, LUA_MASKCOUNT, 1);
        }
    } else {
        lim->seen_epoch = lim->epoch;
    }
}

static void hq_lazy_timer_free(void *value) {
    timer_delete((timer_t)((intptr_t)value - 1));
}

static void hq_lazy_once(void) {
    if (pthread_key_create(&hq_lazy_timer_key, hq_lazy_timer_free) != 0) return;
    hq_lazy_signal = SIGRTMIN + 4;
    if (hq_lazy_signal > SIGRTMAX) return;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = hq_lazy_tick;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    if (sigaction(hq_lazy_signal, &sa, NULL) != 0) return;
    hq_lazy_available = 1;
}

/// Unblocks the tick signal in this thread. Dispatch's worker threads (BatchRun's
/// concurrentPerform, the test runner) start with nearly every signal blocked; a blocked tick
/// would never stop a looping rule.
static int hq_lazy_unblock(void) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, hq_lazy_signal);
    return pthread_sigmask(SIG_UNBLOCK, &set, NULL) == 0;
}

/// Starts this thread's CPU-time timer once (deleted when the thread exits) and keeps the tick
/// signal unblocked (checked again every 1024 calls, in case other code blocked it); 0 if
/// unavailable.
static __thread unsigned hq_lazy_calls = 0;
static int hq_lazy_thread_ready(void) {
    if (hq_lazy_thread_state != 0) {
        if (hq_lazy_thread_state < 0) return 0;
        if ((++hq_lazy_calls & 1023) == 0 && !hq_lazy_unblock()) hq_lazy_thread_state = -1;
        return hq_lazy_thread_state > 0;
    }
    hq_lazy_thread_state = -1;
    pthread_once(&hq_lazy_once_flag, hq_lazy_once);
    if (!hq_lazy_available || !hq_lazy_unblock()) return 0;
    struct sigevent sev;
    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_THREAD_ID;
    sev.sigev_signo = hq_lazy_signal;
    sev._sigev_un._tid = (pid_t)syscall(SYS_gettid);
    timer_t timer;
    if (timer_create(CLOCK_THREAD_CPUTIME_ID, &sev, &timer) != 0) return 0;
    struct itimerspec period = { { 0, HQ_LAZY_TICK_NS }, { 0, HQ_LAZY_TICK_NS } };
    if (timer_settime(timer, 0, &period, NULL) != 0 ||
        pthread_setspecific(hq_lazy_timer_key, (void *)((intptr_t)timer + 1)) != 0) {
        timer_delete(timer);
        return 0;
    }
    hq_lazy_thread_state = 1;
    return 1;
}

/// Monotonic wall time: an upper bound of the thread's CPU time over an interval, and read from
/// the vDSO (~20 ns) where CLOCK_THREAD_CPUTIME_ID is a system call (~600 ns on the project VM).
/// A preempted evaluation may thus be redone needlessly, never accepted wrongly.
static inline long long hq_elapsed_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/// Whether hq_lazy_pcall would attempt a call on this thread (budget large enough, timer ready).
static inline int hq_lazy_usable(lua_State *L) {
    return hq_limits_of(L)->budget_total >= HQ_LAZY_MIN_BUDGET && hq_lazy_thread_ready();
}

/// Runs `lua_pcall` lazily metered. Returns 1 with the call's status in *status, or 0 when the
/// call must be redone metered (its results are then to be ignored), or -1 without calling when
/// lazy metering is unavailable or the budget is too small for its guarantee.
static inline int hq_lazy_pcall(lua_State *L, int nargs, int nresults, int msgh, int *status) {
    hq_limits *lim = hq_limits_of(L);
    if (!hq_lazy_usable(L)) return -1;
    lim->budget = lim->budget_total;
    lim->exhausted = 0;
    lim->armed = 0;
    lim->lazy_tripped = 0;
    lim->epoch++;
    long long start = hq_elapsed_ns();
    hq_lazy_L = L;
    *status = lua_pcall(L, nargs, nresults, msgh);
    hq_lazy_L = NULL;
    long long used = hq_elapsed_ns() - start;
    if (lim->lazy_tripped) {
        lua_sethook(L, NULL, 0, 0);
        lim->lazy_tripped = 0;
        return 0;
    }
    return used < HQ_LAZY_MAX_NS;
}

/// Lua-callable: `__meter()` gives the next rule a fresh budget. Refuses once exhausted, so the
/// budget cannot be reset by the code that ran out of it.
static int hq_lua_meter(lua_State *L) {
    hq_limits *lim = hq_limits_of(L);
    if (lim->exhausted) return luaL_error(L, "instruction budget exceeded");
    lim->budget = lim->budget_total;
    lim->started_ns = hq_thread_cpu_ns();
    lim->clock_checks = 0;
    return 0;
}

/// Message handler for the engine's protected calls: strings get a traceback; any other error
/// value (the engine's missing-field marker) passes through untouched.
static int hq_msgh(lua_State *L) {
    if (lua_type(L, 1) == LUA_TSTRING) {
        luaL_traceback(L, L, lua_tostring(L, 1), 1);
    }
    return 1;
}

/// Message handler for the engine's `xpcall` around rule code (EngineLua `evaluate_profile`):
/// tables (the missing-field markers, about six a business) pass through untouched; any other
/// value becomes text with a traceback, as `debug.traceback(tostring(e), 2)` gives from a Lua
/// handler. In C, because a Lua handler cost a Lua call for every missing field. A function,
/// userdata or thread without `__tostring` reads "(error object is a function value)", as in
/// `lua.c`: `tostring` would give its address, different in every run.
static int hq_traceback_msgh(lua_State *L) {
    int t = lua_type(L, 1);
    if (t == LUA_TTABLE) return 1;
    const char *msg;
    if (t == LUA_TFUNCTION || t == LUA_TUSERDATA || t == LUA_TLIGHTUSERDATA || t == LUA_TTHREAD) {
        if (luaL_getmetafield(L, 1, "__tostring") != LUA_TNIL) {
            lua_pop(L, 1);
            msg = luaL_tolstring(L, 1, NULL);
        } else {
            msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
        }
    } else {
        msg = luaL_tolstring(L, 1, NULL);
    }
    luaL_traceback(L, L, msg, 1);
    return 1;
}

/// `__index` of the profile table: a declared field the profile lacks raises its marker (upvalue 1:
/// field name -> marker); any other key goes to upvalue 2, `absent(k, level)`, which raises
/// "unknown profile field" at the rule's line (level 3: absent, this function, the rule). In C
/// because it runs for every missing field (~7 a business): the Lua version cost a Lua call and
/// a call of `error` besides the raise.
static int hq_strict_index(lua_State *L) {
    lua_settop(L, 2);
    lua_pushvalue(L, 2);
    if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL) {
        // Counted, so the host can tell when rule code swallowed one (RuleRuntime.evaluate).
        hq_limits_of(L)->markers++;
        return lua_error(L);
    }
    lua_pop(L, 1);
    lua_pushvalue(L, lua_upvalueindex(2));
    lua_pushvalue(L, 2);
    lua_pushinteger(L, 3);
    lua_call(L, 2, 0);
    return 0;
}

/// `new_strict_index(markers, absent)`: the `__index` above, for the engine's Lua code.
static int hq_new_strict_index(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_settop(L, 2);
    lua_pushcclosure(L, hq_strict_index, 2);
    return 1;
}

// MARK: - Guards for long C calls the count hook cannot interrupt

/// `string.rep` that refuses results larger than the state's free memory budget.
static int hq_string_rep(lua_State *L) {
    size_t l, lsep;
    luaL_checklstring(L, 1, &l);
    lua_Integer n = luaL_checkinteger(L, 2);
    luaL_optlstring(L, 3, "", &lsep);
    hq_limits *lim = hq_limits_of(L);
    // Nothing to repeat: Lua's own loop would still run n times, uninterruptibly
    // (string.rep("", math.maxinteger) hung a batch; sandbox review).
    if (n <= 0 || (l == 0 && lsep == 0)) {
        lua_pushliteral(L, "");
        return 1;
    }
    if (n > 0) {
        double total = (double)l * (double)n + (double)lsep * (double)(n - 1);
        double room = lim->cap ? (double)(lim->cap - (lim->cap < lim->used ? lim->cap : lim->used)) : 1e18;
        if (total > room || total > 1e9) {
            return luaL_error(L, "string.rep result too large: %f bytes, more than the memory left under the "
                              "%d MiB cap (超出内存上限)", (lua_Number)total, (int)(lim->cap / (1024 * 1024)));
        }
    }
    // Call the original, kept as upvalue 1.
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

/// `type` with its answers interned once, as upvalues. The base library's `type` pushes its answer
/// with lua_pushstring, which looks the name up in the string cache (strcmp) on every call: about
/// 400 instructions under callgrind, and rules and the engine's helpers call `type` a great deal.
/// Same results and the same error as the original.
static int hq_fast_type(lua_State *L) {
    int t = lua_type(L, 1);
    luaL_argcheck(L, t != LUA_TNONE, 1, "value expected");
    lua_pushvalue(L, lua_upvalueindex(t + 1));
    return 1;
}
static inline void hq_install_fast_type(lua_State *L) {
    for (int t = 0; t < LUA_NUMTYPES; t++) lua_pushstring(L, lua_typename(L, t));
    lua_pushcclosure(L, hq_fast_type, LUA_NUMTYPES);
    lua_setglobal(L, "type");
}

/// For i < n: `intsA[i]` and `intsB[i]`, the integers at `[i + 1]` of the tables at `a` and `b`
/// (0 when not one); and where `(intsA[i] & mask) == code`, the numbers at `[i + 1]` of the
/// tables at `c` and `d` into `numsC[i]` and `numsD[i]`, with bit 1 and bit 2 of `have[i]` set
/// for each that is a number (`have[i]` is 0 otherwise). One C call where the host made about
/// fifteen Lua API calls per slot (the engine's codes, condition bits, amounts and scores).
static inline void hq_read_slots(lua_State *L, int a, int b, int c, int d, int n, int64_t mask, int64_t code,
                                 int64_t *intsA, int64_t *intsB, double *numsC, double *numsD, uint8_t *have) {
    a = lua_absindex(L, a);
    b = lua_absindex(L, b);
    c = lua_absindex(L, c);
    d = lua_absindex(L, d);
    for (int i = 0; i < n; i++) {
        lua_rawgeti(L, a, i + 1);
        lua_rawgeti(L, b, i + 1);
        intsA[i] = (int64_t)lua_tointegerx(L, -2, NULL);
        intsB[i] = (int64_t)lua_tointegerx(L, -1, NULL);
        lua_settop(L, -3);
        have[i] = 0;
        if ((intsA[i] & mask) != code) continue;
        if (lua_rawgeti(L, c, i + 1) == LUA_TNUMBER) { numsC[i] = (double)lua_tonumberx(L, -1, NULL); have[i] |= 1; }
        if (lua_rawgeti(L, d, i + 1) == LUA_TNUMBER) { numsD[i] = (double)lua_tonumberx(L, -1, NULL); have[i] |= 2; }
        lua_settop(L, -3);
    }
}

/// `t[i]` as an integer (0 when it is not one), for the table at `t`; the stack is left as it was.
static inline int64_t hq_rawget_integer(lua_State *L, int t, lua_Integer i) {
    lua_rawgeti(L, t, i);
    int64_t v = (int64_t)lua_tointegerx(L, -1, NULL);
    lua_settop(L, -2);
    return v;
}

/// Installs hq_string_rep in place of `string.rep` in the table at `idx`.
static inline void hq_install_string_rep(lua_State *L, int idx) {
    idx = lua_absindex(L, idx);
    lua_getfield(L, idx, "rep");
    lua_pushcclosure(L, hq_string_rep, 1);
    lua_setfield(L, idx, "rep");
}

// MARK: - Profile fields written once per change
//
// The host writes every business's fields into one reused Lua table. A rawset costs ~90
// instructions and a string's interning ~290 more, while consecutive businesses share many values
// (booleans, street, subject type, missing fields). hq_field_cache remembers what each field got
// last time, so an unchanged value costs a compare. Only the host writes that table (rules see it
// through a read-only proxy; the table is also in the sandbox's `protected`, which its rawset
// refuses), so the cache stays true.

typedef struct hq_field_cell {
    int kind;          // 0 unknown (always written), 1 nil, 2 boolean, 3 integer, 4 float, 5 string
    uint64_t bits;     // the boolean, integer or float's bits
    char *bytes;       // the string's bytes (kind 5)
    size_t length, capacity;
} hq_field_cell;

typedef struct hq_field_cache {
    int count;
    int table, keys;   // absolute stack indices of the profile table and the interned keys (set per fill)
    hq_field_cell *cells;
} hq_field_cache;

static inline hq_field_cache *hq_field_cache_new(int count) {
    hq_field_cache *c = calloc(1, sizeof(hq_field_cache));
    if (!c) return NULL;
    c->cells = calloc(count > 0 ? (size_t)count : 1, sizeof(hq_field_cell));
    if (!c->cells) { free(c); return NULL; }
    c->count = count;
    return c;
}
static inline void hq_field_cache_free(hq_field_cache *c) {
    if (!c) return;
    for (int i = 0; i < c->count; i++) free(c->cells[i].bytes);
    free(c->cells);
    free(c);
}
static inline void hq_field_begin(lua_State *L, hq_field_cache *c, int table, int keys) {
    c->table = lua_absindex(L, table);
    c->keys = lua_absindex(L, keys);
}
/// The field's value in the table is no longer known (a list, written by the host's own code).
static inline void hq_field_forget(hq_field_cache *c, int i) { c->cells[i].kind = 0; }

static inline int hq_field_same(hq_field_cache *c, int i, int kind, uint64_t bits) {
    hq_field_cell *x = &c->cells[i];
    if (x->kind == kind && x->bits == bits) return 1;
    x->kind = kind;
    x->bits = bits;
    return 0;
}
static inline void hq_field_set_nil(lua_State *L, hq_field_cache *c, int i) {
    if (hq_field_same(c, i, 1, 0)) return;
    lua_rawgeti(L, c->keys, i + 1);
    lua_pushnil(L);
    lua_rawset(L, c->table);
}
static inline void hq_field_set_boolean(lua_State *L, hq_field_cache *c, int i, int b) {
    if (hq_field_same(c, i, 2, b != 0)) return;
    lua_rawgeti(L, c->keys, i + 1);
    lua_pushboolean(L, b);
    lua_rawset(L, c->table);
}
static inline void hq_field_set_integer(lua_State *L, hq_field_cache *c, int i, int64_t n) {
    if (hq_field_same(c, i, 3, (uint64_t)n)) return;
    lua_rawgeti(L, c->keys, i + 1);
    lua_pushinteger(L, (lua_Integer)n);
    lua_rawset(L, c->table);
}
/// Compared by bits: -0.0 and 0.0 are equal numbers but print differently.
static inline void hq_field_set_float(lua_State *L, hq_field_cache *c, int i, double d) {
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    if (hq_field_same(c, i, 4, bits)) return;
    lua_rawgeti(L, c->keys, i + 1);
    lua_pushnumber(L, d);
    lua_rawset(L, c->table);
}
static inline void hq_field_set_string(lua_State *L, hq_field_cache *c, int i, const char *s, size_t n) {
    hq_field_cell *x = &c->cells[i];
    if (x->kind == 5 && x->length == n && (n == 0 || memcmp(x->bytes, s, n) == 0)) return;
    x->kind = 0;
    if (n > x->capacity) {
        char *grown = realloc(x->bytes, n);
        if (grown) { x->bytes = grown; x->capacity = n; }
    }
    if (n <= x->capacity) {
        if (n) memcpy(x->bytes, s, n);
        x->length = n;
        x->kind = 5;
    }
    lua_rawgeti(L, c->keys, i + 1);
    lua_pushlstring(L, s, n);
    lua_rawset(L, c->table);
}

#endif
