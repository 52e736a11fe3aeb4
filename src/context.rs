// SPDX-License-Identifier: GPL-2.0

//! GEM contexts: what GEM_CONTEXT_CREATE(_EXT), DESTROY, GETPARAM and
//! SETPARAM manage, and what execbuf's context id and ring selector name.
//!
//! Every open file has its default context 0 and the contexts it creates,
//! numbered from 1 up and never reused by that file (a destroyed id stays
//! `ENOENT`, as does another file's). A created context is its own fence
//! timeline ([`Timeline`]); context 0 submits on bcs0's.
//!
//! vi915 has one engine, bcs0 (class COPY, instance 0). A context's engine
//! map (`I915_CONTEXT_PARAM_ENGINES`) lists it, or holes, and execbuf's ring
//! selector then indexes the map; without a map execbuf takes the legacy ring
//! names (DEFAULT, RENDER, BLT: all the copy engine).
//!
//! As i915 before graphics version 13, a created context is a
//! proto-context until first used (execbuf, GETPARAM): until then SETPARAM
//! may still give it an engine map, later `ENGINES` is `EINVAL`. The other
//! parameters are the flags i915 keeps, with i915's rules and errnos; on the
//! software engine they change nothing (a hang ends the request, never the
//! context). vi915 announces no scheduler (no priorities, no preemption),
//! SSEU, VM or protected content.

use kernel::{
    new_mutex,
    prelude::*,
    rbtree::RBTree,
    sync::{
        Arc,
        Mutex, //
    },
};

use crate::{
    create_ext::{
        self,
        read, //
    },
    engine::Timeline,
    ffi::{
        self,
        InFence, //
    },
    ggtt::GGTT_SIZE,
    throttle::{
        self,
        Throttle, //
    },
    uapi::{
        self,
        ctx,
        exec,
        query, //
    },
};

/// Engines in a map at most (the ring selector's range).
const MAX_ENGINES: usize = exec::RING_MASK as usize + 1;

/// A context's parameters.
struct Params {
    bannable: bool,
    recoverable: bool,
    no_error_capture: bool,
    /// The engine map: `true` for bcs0, `false` for a hole.
    engines: Option<KVec<bool>>,
    /// First used: no engine map can be set any more.
    finalized: bool,
}

impl Params {
    fn new(finalized: bool) -> Self {
        Self {
            bannable: true,
            recoverable: true,
            no_error_capture: false,
            engines: None,
            finalized,
        }
    }

    /// Whether an engine map can still be set.
    fn engines_settable(&self) -> bool {
        !self.finalized && self.engines.is_none()
    }
}

/// A GEM context.
#[pin_data]
pub(crate) struct Context {
    /// Its own timeline; `None` for a file's context 0 (bcs0's).
    timeline: Option<Timeline>,
    #[pin]
    params: Mutex<Params>,
    /// Its requests in flight, bounded (`throttle.rs`).
    #[pin]
    throttle: Mutex<Throttle>,
}

impl Context {
    fn new(timeline: Option<Timeline>, params: Params) -> Result<Arc<Self>> {
        let throttle = Throttle::new()?;
        Arc::pin_init(
            pin_init!(Self {
                timeline,
                params <- new_mutex!(params, "vi915_context"),
                throttle <- new_mutex!(throttle, "vi915_context_throttle"),
            }),
            crate::gem::user_gfp(),
        )
    }

    /// Room for one more request: a slot of the context's ring, once the
    /// request it held has ended (`throttle.rs`; `nonblock`: `EAGAIN`
    /// instead of waiting).
    pub(crate) fn throttle(&self, nonblock: bool) -> Result<usize> {
        let (slot, busy) = self.throttle.lock().reserve(nonblock)?;
        throttle::wait(busy)?;
        Ok(slot)
    }

    /// The request of `slot` was queued (its fence).
    pub(crate) fn record(&self, slot: usize, fence: InFence) {
        self.throttle.lock().record(slot, fence);
    }

    /// The timeline its requests' fences are on (`None`: bcs0's).
    pub(crate) fn timeline(&self) -> Option<&Timeline> {
        self.timeline.as_ref()
    }

    /// Execbuf's engine: the ring selector `ring` must name bcs0, through
    /// the engine map if the context has one, else by a legacy ring name
    /// (`EINVAL` otherwise). Finalizes the context.
    pub(crate) fn select_engine(&self, ring: u64) -> Result {
        let mut p = self.params.lock();
        p.finalized = true;
        match &p.engines {
            Some(map) => match usize::try_from(ring).ok().and_then(|i| map.get(i)) {
                Some(true) => Ok(()),
                _ => Err(EINVAL),
            },
            None => crate::args::legacy_ring(ring),
        }
    }
}

/// A file's contexts.
pub(crate) struct Contexts {
    map: RBTree<u32, Arc<Context>>,
    /// The id the next created context gets.
    next: u32,
}

impl Contexts {
    /// Context 0 only.
    pub(crate) fn new() -> Result<Self> {
        let mut map = RBTree::new();
        map.try_create_and_insert(0, Context::new(None, Params::new(true))?, GFP_KERNEL)?;
        Ok(Self { map, next: 1 })
    }

    /// Context `id` of this file (`ENOENT`).
    pub(crate) fn get(&self, id: u32) -> Result<Arc<Context>> {
        self.map.get(&id).cloned().ok_or(ENOENT)
    }

    fn insert(&mut self, c: Arc<Context>) -> Result<u32> {
        let id = self.next;
        let next = id.checked_add(1).ok_or(ENOSPC)?;
        self.map
            .try_create_and_insert(id, c, crate::gem::user_gfp())?;
        self.next = next;
        Ok(id)
    }

    fn remove(&mut self, id: u32) -> Result {
        if id == 0 {
            return Err(ENOENT);
        }
        self.map.remove(&id).map(drop).ok_or(ENOENT)
    }
}

/// The engine map an ENGINES parameter describes (read from user memory
/// before any lock is taken).
fn read_engines(p: &uapi::ContextParam) -> Result<KVec<bool>> {
    // `struct i915_context_param_engines`: an extension chain, then the
    // (class, instance) pairs.
    const HEADER: usize = 8;
    const ENTRY: usize = core::mem::size_of::<uapi::EngineClassInstance>();
    let size = p.size as usize;
    if size < HEADER || (size - HEADER) % ENTRY != 0 {
        return Err(EINVAL);
    }
    let n = (size - HEADER) / ENTRY;
    if n > MAX_ENGINES {
        return Err(EINVAL);
    }
    let mut map = KVec::with_capacity(n, crate::gem::user_gfp())?;
    for i in 0..n {
        let at = p
            .value
            .checked_add((HEADER + i * ENTRY) as u64)
            .ok_or(EFAULT)?;
        let e: uapi::EngineClassInstance = read(at)?;
        let present = match (e.engine_class, e.engine_instance) {
            (ctx::ENGINE_INVALID, ctx::ENGINE_INVALID) => false,
            (query::ENGINE_CLASS_COPY, 0) => true,
            _ => return Err(ENOENT),
        };
        map.push(present, crate::gem::user_gfp())?;
    }
    // Load balancing, bonds, parallel submission: not with one engine.
    let extensions: u64 = read(p.value)?;
    if extensions != 0 {
        return Err(EINVAL);
    }
    Ok(map)
}

/// A flag parameter's value: `size` must be 0.
fn flag(p: &uapi::ContextParam) -> Result<bool> {
    if p.size != 0 {
        return Err(EINVAL);
    }
    Ok(p.value != 0)
}

/// Set parameter `p` (its engine map, if any, already read) on `params`.
fn set(params: &mut Params, p: &uapi::ContextParam, engines: Option<KVec<bool>>) -> Result {
    match p.param {
        ctx::PARAM_NO_ERROR_CAPTURE => params.no_error_capture = flag(p)?,
        ctx::PARAM_BANNABLE => {
            let on = flag(p)?;
            if !on && !ffi::capable_sys_admin() {
                return Err(EPERM);
            }
            params.bannable = on;
        }
        ctx::PARAM_RECOVERABLE => params.recoverable = flag(p)?,
        ctx::PARAM_PRIORITY => {
            flag(p)?;
            return Err(ENODEV);
        }
        ctx::PARAM_PERSISTENCE => {
            // Every context persists (hangcheck cannot be turned off): off
            // needs preemption to cancel the context's requests.
            if !flag(p)? {
                return Err(ENODEV);
            }
        }
        ctx::PARAM_SSEU => return Err(ENODEV),
        ctx::PARAM_VM if !params.finalized => {
            flag(p)?;
            return Err(ENODEV);
        }
        ctx::PARAM_PROTECTED_CONTENT if !params.finalized => {
            if p.value != 0 {
                return Err(ENODEV);
            }
        }
        ctx::PARAM_ENGINES if params.engines_settable() => {
            params.engines = Some(engines.ok_or(EINVAL)?);
        }
        _ => return Err(EINVAL),
    }
    Ok(())
}

/// An engine map to read first, if `p` sets one: `EINVAL` before the map is
/// read (as i915) unless the context may still take one (`settable`).
fn engines_of(settable: bool, p: &uapi::ContextParam) -> Result<Option<KVec<bool>>> {
    if p.param != ctx::PARAM_ENGINES {
        return Ok(None);
    }
    if !settable {
        return Err(EINVAL);
    }
    read_engines(p).map(Some)
}

/// GEM_CONTEXT_CREATE(_EXT): a new context of `file`, its id.
pub(crate) fn create(contexts: &Mutex<Contexts>, a: &uapi::ContextCreate) -> Result<u32> {
    if a.flags & !(ctx::CREATE_USE_EXTENSIONS | ctx::CREATE_SINGLE_TIMELINE) != 0 {
        return Err(EINVAL);
    }
    let mut params = Params::new(false);
    if a.flags & ctx::CREATE_USE_EXTENSIONS != 0 {
        create_ext::walk(a.extensions, |name, at| {
            if name != ctx::EXT_SETPARAM {
                return Err(EINVAL);
            }
            let p: uapi::ContextParam = read(at)?;
            if p.ctx_id != 0 {
                return Err(EINVAL);
            }
            let engines = engines_of(params.engines_settable(), &p)?;
            set(&mut params, &p, engines)
        })?;
    }
    let c = Context::new(Some(Timeline::new()), params)?;
    contexts.lock().insert(c)
}

/// GEM_CONTEXT_DESTROY. Requests already queued keep running.
pub(crate) fn destroy(contexts: &Mutex<Contexts>, a: &uapi::ContextDestroy) -> Result {
    if a.pad != 0 {
        return Err(EINVAL);
    }
    contexts.lock().remove(a.ctx_id)
}

/// GEM_CONTEXT_SETPARAM.
pub(crate) fn set_param(contexts: &Mutex<Contexts>, p: &uapi::ContextParam) -> Result {
    let c = contexts.lock().get(p.ctx_id)?;
    // The map is read without the context's lock held; `set` checks again.
    let settable = c.params.lock().engines_settable();
    let engines = engines_of(settable, p)?;
    let mut params = c.params.lock();
    set(&mut params, p, engines)
}

/// GEM_CONTEXT_GETPARAM. Finalizes the context.
pub(crate) fn get_param(contexts: &Mutex<Contexts>, p: &mut uapi::ContextParam) -> Result {
    let c = contexts.lock().get(p.ctx_id)?;
    let mut params = c.params.lock();
    params.finalized = true;
    let value = match p.param {
        ctx::PARAM_GTT_SIZE => GGTT_SIZE,
        ctx::PARAM_NO_ERROR_CAPTURE => u64::from(params.no_error_capture),
        ctx::PARAM_BANNABLE => u64::from(params.bannable),
        ctx::PARAM_RECOVERABLE => u64::from(params.recoverable),
        ctx::PARAM_PERSISTENCE => 1,
        ctx::PARAM_PRIORITY | ctx::PARAM_PROTECTED_CONTENT => 0,
        ctx::PARAM_SSEU | ctx::PARAM_VM => return Err(ENODEV),
        _ => return Err(EINVAL),
    };
    p.size = 0;
    p.value = value;
    Ok(())
}
