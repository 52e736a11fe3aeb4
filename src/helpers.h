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

unsigned long vi915_page_to_pfn(struct page *page);
void vi915_put_pages(struct page **pages, unsigned long n);
bool vi915_access_ok(u64 ptr, u64 size);
bool vi915_capable_sys_admin(void);
bool vi915_range_blockable(const struct mmu_notifier_range *range);
void vi915_mmu_interval_set_seq(struct mmu_interval_notifier *sub,
				unsigned long cur_seq);
bool vi915_mmu_interval_read_retry(struct mmu_interval_notifier *sub,
				   unsigned long seq);
bool vi915_gem_get_unless_zero(struct drm_gem_object *obj);
void vi915_gem_unmap_mapping(struct drm_gem_object *obj);
int vi915_gem_mmap_setup(struct drm_gem_object *obj, struct vm_area_struct *vma);
void *vi915_err_ptr(int err);
struct drm_gem_object *vi915_vmf_gem_object(struct vm_fault *vmf);
unsigned int vi915_vmf_map_pfns(struct vm_fault *vmf, const unsigned long *pfns,
				unsigned long npages);
int vi915_probe_range(u64 start, u64 size);
struct workqueue_struct *vi915_alloc_workqueue(void);
void vi915_destroy_workqueue(struct workqueue_struct *wq);
struct sg_table *vi915_pages_to_sg(struct drm_gem_object *obj,
				   struct page **pages, unsigned int npages);

typedef void (*vi915_counters_fn)(u64 *out, size_t n);
void vi915_debugfs_init(struct drm_device *dev, vi915_counters_fn counters);

#endif /* VI915_HELPERS_H */
