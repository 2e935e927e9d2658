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
    size_t peak;
    long long budget;     // instructions left in the current evaluation
    long long budget_total;
    int step;             // instructions between hook calls
    int exhausted;        // set once the budget ran out, until the next evaluation starts
    int armed;            // 1 while an evaluation is being metered
} hq_limits;

static inline hq_limits *hq_limits_of(lua_State *L) { return *(hq_limits **)lua_getextraspace(L); }

/// A lua_Alloc that refuses to grow past `cap`; Lua turns the refusal into a memory error.
static void *hq_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    hq_limits *lim = (hq_limits *)ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        free(ptr);
        lim->used -= old;
        return NULL;
    }
    if (lim->cap && nsize > old && lim->used - old + nsize > lim->cap) return NULL;
    void *p = realloc(ptr, nsize);
    if (p) {
        lim->used = lim->used - old + nsize;
        if (lim->used > lim->peak) lim->peak = lim->used;
    }
    return p;
}

/// Count hook: charges `step` instructions per call; past the budget it raises an error and then
/// fires on every instruction, so a rule that catches the error with pcall cannot keep running.
static void hq_count_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    hq_limits *lim = hq_limits_of(L);
    if (!lim->armed) return;
    if (!lim->exhausted) {
        lim->budget -= lim->step;
        if (lim->budget > 0) return;
        lim->exhausted = 1;
        lua_sethook(L, hq_count_hook, LUA_MASKCOUNT, 1);
    }
    luaL_error(L, "instruction budget exceeded: more than %I instructions in one evaluation "
                  "(超出指令预算, 可能是死循环)", (lua_Integer)lim->budget_total);
}

/// Creates a state with the metered allocator; `lim` must outlive the state.
static inline lua_State *hq_newstate(hq_limits *lim) {
    lua_State *L = lua_newstate(hq_alloc, lim);
    if (L) *(hq_limits **)lua_getextraspace(L) = lim;
    return L;
}

/// Starts metering an evaluation with a fresh budget (called from Lua through hq_lua_meter and from Swift).
static inline void hq_arm(lua_State *L) {
    hq_limits *lim = hq_limits_of(L);
    lim->budget = lim->budget_total;
    lim->exhausted = 0;
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

/// Lua-callable: `__meter()` gives the next rule a fresh budget. Refuses once exhausted, so the
/// budget cannot be reset by the code that ran out of it.
static int hq_lua_meter(lua_State *L) {
    hq_limits *lim = hq_limits_of(L);
    if (lim->exhausted) return luaL_error(L, "instruction budget exceeded");
    lim->budget = lim->budget_total;
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

// MARK: - Guards for long C calls the count hook cannot interrupt

/// `string.rep` that refuses results larger than the state's free memory budget.
static int hq_string_rep(lua_State *L) {
    size_t l, lsep;
    luaL_checklstring(L, 1, &l);
    lua_Integer n = luaL_checkinteger(L, 2);
    luaL_optlstring(L, 3, "", &lsep);
    hq_limits *lim = hq_limits_of(L);
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

/// Installs hq_string_rep in place of `string.rep` in the table at `idx`.
static inline void hq_install_string_rep(lua_State *L, int idx) {
    idx = lua_absindex(L, idx);
    lua_getfield(L, idx, "rep");
    lua_pushcclosure(L, hq_string_rep, 1);
    lua_setfield(L, idx, "rep");
}

#endif
