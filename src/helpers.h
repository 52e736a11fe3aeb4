/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vi915 C shim: static-inline kernel helpers and debugfs plumbing that the
 * Rust bindings do not expose. Every function here is a thin wrapper; the
 * Rust side (src/ffi.rs) is the only caller.
 */
#ifndef VI915_HELPERS_H
#define VI915_HELPERS_H

#include <linux/types.h>

struct page;
struct vm_fault;
struct vm_area_struct;
struct drm_gem_object;
struct drm_device;
struct mmu_interval_notifier;
struct mmu_notifier_range;
struct workqueue_struct;
struct dma_fence;
struct sg_table;

unsigned long vi915_page_to_pfn(struct page *page);
void vi915_put_pages(struct page **pages, unsigned long n, bool dirty);
bool vi915_access_ok(u64 ptr, u64 size);
bool vi915_capable_sys_admin(void);
void vi915_cond_resched(void);
bool vi915_signal_pending(void);
bool vi915_range_blockable(const struct mmu_notifier_range *range);
void vi915_mmu_interval_set_seq(struct mmu_interval_notifier *sub,
				unsigned long cur_seq);
bool vi915_mmu_interval_read_retry(struct mmu_interval_notifier *sub,
				   unsigned long seq);
bool vi915_gem_get_unless_zero(struct drm_gem_object *obj);
void vi915_gem_unmap_mapping(struct drm_gem_object *obj);
int vi915_gem_mmap_setup(struct drm_gem_object *obj, struct vm_area_struct *vma);
s64 vi915_gem_create_mmap_offset(struct drm_gem_object *obj);
struct drm_file;
s64 vi915_vm_mmap(struct drm_file *file, u64 offset, u64 size);
bool vi915_file_nonblock(struct drm_file *file);
void *vi915_err_ptr(int err);
struct drm_gem_object *vi915_vmf_gem_object(struct vm_fault *vmf);
unsigned int vi915_vmf_map_pfns(struct vm_fault *vmf, const unsigned long *pfns,
				unsigned long npages);
int vi915_probe_range(u64 start, u64 size);
struct workqueue_struct *vi915_alloc_workqueue(void);
void vi915_destroy_workqueue(struct workqueue_struct *wq);
struct sg_table *vi915_pages_to_sg(struct drm_gem_object *obj,
				   struct page **pages, unsigned int npages);
struct dma_buf_attachment;
int vi915_install_driver(struct drm_device *dev,
			 struct drm_gem_object *(*import)(struct drm_device *,
							  struct dma_buf_attachment *,
							  struct sg_table *));
size_t vi915_attach_size(struct dma_buf_attachment *attach);
int vi915_sgt_pages(struct dma_buf_attachment *attach, struct sg_table *sgt,
		    struct page **pages, unsigned long npages);
void vi915_prime_destroy(struct drm_gem_object *obj, struct sg_table *sgt);

u64 vi915_fence_context_alloc(void);
struct dma_fence *vi915_fence_create(u64 context, u64 seqno);
void vi915_fence_signal(struct dma_fence *fence, int err);
void vi915_fence_put(struct dma_fence *fence);
bool vi915_fence_begin_signalling(void);
void vi915_fence_end_signalling(bool cookie);
int vi915_gem_add_fence(struct drm_gem_object **objs, const bool *write, const bool *await,
			unsigned int n, struct dma_fence *fence,
			struct dma_fence ***deps, unsigned int *ndeps);
void vi915_fences_put(struct dma_fence **fences, unsigned int n);
long vi915_gem_wait(struct drm_gem_object *obj, bool intr, long timeout);
long vi915_max_schedule_timeout(void);
long vi915_nsecs_to_jiffies(u64 ns);
u64 vi915_jiffies_to_nsecs(long j);
bool vi915_gem_idle(struct drm_gem_object *obj, bool writes_only);
bool vi915_gem_busy_own(struct drm_gem_object *obj, bool writes_only);
void vi915_page_copy_strided(struct page *dst, size_t dst_off, size_t dst_stride,
			     struct page *src, size_t src_off, size_t src_stride,
			     size_t piece, size_t count);
void vi915_tile_copy(struct page *tile, bool y, struct page **rows, const size_t *offs,
		     bool to_tile);
void vi915_map_copy_strided(void *d, size_t dst_stride, const void *s, size_t src_stride,
			    size_t piece, size_t count);
void vi915_map_tile_copy(void *tile, bool y, void *linear, size_t pitch, size_t count,
			 bool to_tile);
void *vi915_vmap_pages(struct page **pages, unsigned int n, bool writable);
void vi915_vunmap(void *addr);
u32 vi915_page_read_dword(struct page *page, size_t off);
void vi915_page_read(struct page *page, size_t off, void *buf, size_t len);
void vi915_page_write(struct page *page, size_t off, const void *buf, size_t len);
struct workqueue_struct *vi915_alloc_ordered_workqueue(void);
void vi915_fence_unload(void);
struct sync_file;
struct sync_file *vi915_sync_file_create(struct dma_fence *fence);
void vi915_sync_file_discard(struct sync_file *sf);
int vi915_fd_reserve(void);
void vi915_fd_unreserve(int fd);
void vi915_sync_file_install(int fd, struct sync_file *sf);
struct dma_fence *vi915_sync_file_get_fence(int fd);
struct dma_fence *vi915_fence_get(struct dma_fence *fence);
int vi915_fence_await(struct dma_fence *fence, long timeout);
bool vi915_fence_is_signaled(struct dma_fence *fence);
int vi915_fence_wait_intr(struct dma_fence *fence);
size_t vi915_pages_user_copy(struct page **pages, size_t off, u64 uaddr, size_t len, bool to_user);

typedef void (*vi915_counters_fn)(u64 *out, size_t n);
typedef bool (*vi915_hang_get_fn)(u64 *seqno, u64 *offset, u64 *budget_ms);
typedef void (*vi915_hang_clear_fn)(void);
void vi915_debugfs_init(struct drm_device *dev, vi915_counters_fn counters,
			vi915_hang_get_fn hang_get, vi915_hang_clear_fn hang_clear);

/* Ids of the i915_params/ files (params.rs has the same numbers). */
enum { VI915_PARAM_RESET, VI915_PARAM_ENABLE_HANGCHECK, VI915_PARAM_ENABLE_GUC };
typedef s64 (*vi915_param_get_fn)(int id);
typedef int (*vi915_param_set_fn)(int id, s64 value);
void vi915_debugfs_params_init(struct drm_device *dev, vi915_param_get_fn get,
			       vi915_param_set_fn set);
u64 vi915_totalram_bytes(void);
struct page *vi915_alloc_user_page(void);
void vi915_free_page(struct page *page);
void *vi915_user_kvmalloc(size_t n, size_t size);
void vi915_kvfree(void *p);
int vi915_vma_access_pfns(struct vm_area_struct *vma, unsigned long addr, void *buf,
			  int len, int write, const unsigned long *pfns,
			  unsigned long npages);

struct drm_syncobj;
struct dma_fence_chain;
struct drm_syncobj *vi915_syncobj_find(struct drm_file *file, u32 handle);
void vi915_syncobj_put(struct drm_syncobj *syncobj);
int vi915_syncobj_fence(struct drm_syncobj *syncobj, u64 point, struct dma_fence **fence);
struct dma_fence_chain *vi915_chain_alloc(void);
void vi915_chain_free(struct dma_fence_chain *chain);
void vi915_syncobj_signal(struct drm_syncobj *syncobj, struct dma_fence_chain *chain,
			  struct dma_fence *fence, u64 point);

#endif /* VI915_HELPERS_H */
