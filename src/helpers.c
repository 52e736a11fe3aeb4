// SPDX-License-Identifier: GPL-2.0
/*
 * vi915 C shim. Only static-inline helpers, macros and the debugfs file
 * operations live here; all policy is in Rust.
 */
#include <linux/capability.h>
#include <linux/debugfs.h>
#include <linux/dma-buf.h>
#include <linux/dma-direct.h>
#include <linux/dma-map-ops.h>
#include <linux/dma-mapping.h>
#include <linux/swiotlb.h>
#include <linux/dma-fence.h>
#include <linux/dma-fence-chain.h>
#include <linux/dma-resv.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/highmem.h>
#include <linux/kasan-checks.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/mmu_notifier.h>
#include <linux/pagemap.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sync_file.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <linux/unaligned.h>
#include <linux/workqueue.h>
#include <drm/drm_device.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_syncobj.h>
#include <drm/drm_prime.h>
#include <drm/drm_vma_manager.h>

#include "helpers.h"

unsigned long vi915_page_to_pfn(struct page *page)
{
	return page_to_pfn(page);
}

/*
 * Drop one gup reference on each page; if the device may have written them
 * (engine, relocations, GTT/dma-buf mappings, importers), mark them dirty
 * first, so that a clean swap-cache or file page is written back rather than
 * dropped with the device's data. The folio lock is only tried: this runs
 * from MMU notifier invalidations that reclaim and migration issue with the
 * folio already locked. When it is held by someone else, the page is still
 * marked dirty: that holder (the unmapping reclaim or migration, or a
 * truncation, which also holds it) keeps the mapping from changing under us.
 */
void vi915_put_pages(struct page **pages, unsigned long n, bool dirty)
{
	unsigned long i;

	for (i = 0; i < n; i++) {
		struct page *page = pages[i];

		if (dirty) {
			if (trylock_page(page)) {
				set_page_dirty(page);
				unlock_page(page);
			} else {
				set_page_dirty(page);
			}
		}
		put_page(page);
	}
}

bool vi915_access_ok(u64 ptr, u64 size)
{
	return access_ok(u64_to_user_ptr(ptr), size);
}

bool vi915_capable_sys_admin(void)
{
	return capable(CAP_SYS_ADMIN);
}

void vi915_cond_resched(void)
{
	cond_resched();
}

bool vi915_signal_pending(void)
{
	return signal_pending(current);
}

bool vi915_range_blockable(const struct mmu_notifier_range *range)
{
	return mmu_notifier_range_blockable(range);
}

void vi915_mmu_interval_set_seq(struct mmu_interval_notifier *sub,
				unsigned long cur_seq)
{
	mmu_interval_set_seq(sub, cur_seq);
}

bool vi915_mmu_interval_read_retry(struct mmu_interval_notifier *sub,
				   unsigned long seq)
{
	return mmu_interval_read_retry(sub, seq);
}

bool vi915_gem_get_unless_zero(struct drm_gem_object *obj)
{
	return kref_get_unless_zero(&obj->refcount);
}

/*
 * The object page a VMA of @obj starts at: vi915_mmap maps from any page of
 * the fake offset range, and a VMA split later (the user unmapping its head)
 * starts further in.
 */
static unsigned long vi915_vma_first_page(struct drm_gem_object *obj,
					  struct vm_area_struct *vma)
{
	return vma->vm_pgoff - drm_vma_node_start(&obj->vma_node);
}

/*
 * Revoke every CPU mapping of @obj: mmaps of the DRM device file and dma-buf
 * mmaps (drm_gem_prime_export points the dma-buf file's f_mapping at the DRM
 * anon inode's mapping, and vi915_gem_prepare_export gave the object its
 * offset before any dma-buf mmap could exist). Without an offset there is no
 * mapping to revoke: vi915_gem_mmap_setup refuses one.
 */
void vi915_gem_unmap_mapping(struct drm_gem_object *obj)
{
	drm_vma_node_unmap(&obj->vma_node, obj->dev->anon_inode->i_mapping);
}

/*
 * funcs->mmap: refuse private writable (COW) mappings, which vmf_insert_pfn()
 * cannot serve, and set up a PFN map. Returns 1 for a dma-buf mmap (its VMA
 * is not in the DRM anon inode's mapping, so unmap_mapping_range() cannot
 * revoke it; the caller decides), 0 for a DRM device file mmap.
 */
int vi915_gem_mmap_setup(struct drm_gem_object *obj, struct vm_area_struct *vma)
{
	if ((vma->vm_flags & (VM_SHARED | VM_MAYWRITE)) == VM_MAYWRITE)
		return -EINVAL;
	/* No offset, nothing that vi915_gem_unmap_mapping could revoke. */
	if (!drm_mm_node_allocated(&obj->vma_node.vm_node))
		return -ENODEV;
	vm_flags_set(vma, VM_PFNMAP | VM_IO | VM_DONTEXPAND | VM_DONTDUMP);
	if (!vma->vm_file ||
	    vma->vm_file->f_mapping != obj->dev->anon_inode->i_mapping)
		return 1;
	return 0;
}

/*
 * Give @obj its fake mmap offset (every mmap type shares it: vi915_mmap
 * finds an object by its offset range, whatever the type). Before export too:
 * drm_gem_prime_mmap adds the offset to a dma-buf VMA's vm_pgoff, so a dma-buf
 * mapping then lies in the anon inode's mapping at the same place as a GTT
 * mmap, where vi915_gem_unmap_mapping revokes both. Idempotent. Returns the
 * offset in bytes, or a negative errno.
 */
s64 vi915_gem_create_mmap_offset(struct drm_gem_object *obj)
{
	int err = drm_gem_create_mmap_offset(obj);

	return err ? err : (s64)drm_vma_node_offset_addr(&obj->vma_node);
}

/* Whether the DRM file is O_NONBLOCK (execbuf's throttle does not wait then). */
bool vi915_file_nonblock(struct drm_file *file)
{
	return file->filp->f_flags & O_NONBLOCK;
}

/*
 * GEM_MMAP: map @size bytes of the DRM file @file at fake offset @offset into
 * the caller's address space (vm_mmap takes mmap_lock: ioctl context, no lock
 * of ours held). Returns the address or a negative errno.
 */
s64 vi915_vm_mmap(struct drm_file *file, u64 offset, u64 size)
{
	unsigned long addr = vm_mmap(file->filp, 0, size, PROT_READ | PROT_WRITE, MAP_SHARED,
				     offset);

	return IS_ERR_VALUE(addr) ? (long)addr : (s64)addr;
}

void *vi915_err_ptr(int err)
{
	return ERR_PTR(err);
}

struct drm_gem_object *vi915_vmf_gem_object(struct vm_fault *vmf)
{
	return vmf->vma->vm_private_data;
}

/* One run of PTEs written by apply_to_page_range(), in address order. */
struct vi915_remap {
	struct mm_struct *mm;
	const unsigned long *pfn;
	pgprot_t prot;
};

static int vi915_remap_pte(pte_t *pte, unsigned long addr, void *data)
{
	struct vi915_remap *r = data;

	/*
	 * A PTE already present was written by a racing fault of the same
	 * binding (revocation zaps every PTE before the pages change): keep it.
	 */
	if (pte_none(ptep_get(pte)))
		set_pte_at(r->mm, addr, pte, pte_mkspecial(pfn_pte(*r->pfn, r->prot)));
	r->pfn++;
	return 0;
}

/*
 * Map the whole VMA (or the part of the object it covers) at once, as a PFN
 * map: one apply_to_page_range() walk writes every PTE, under each page
 * table's lock, instead of one vmf_insert_pfn() (page-table walk, PTE lock,
 * PAT lookup) per page. The pages are ordinary RAM, write-back, so the VMA's
 * own protection is the PAT lookup's answer for every one of them. The VMA
 * offset is relative to the object's fake mmap offset.
 */
unsigned int vi915_vmf_map_pfns(struct vm_fault *vmf, const unsigned long *pfns,
				unsigned long npages)
{
	struct vm_area_struct *vma = vmf->vma;
	unsigned long first = vi915_vma_first_page(vma->vm_private_data, vma);
	struct vi915_remap r = {
		.mm = vma->vm_mm, .pfn = pfns + first, .prot = vma->vm_page_prot,
	};
	unsigned long n;
	int err;

	if (first + ((vmf->address - vma->vm_start) >> PAGE_SHIFT) >= npages)
		return VM_FAULT_SIGBUS;
	n = min(vma_pages(vma), npages - first);
	err = apply_to_page_range(vma->vm_mm, vma->vm_start, n << PAGE_SHIFT,
				  vi915_remap_pte, &r);
	return err ? vmf_error(err) : VM_FAULT_NOPAGE;
}

/*
 * vm_ops->access (ptrace, /proc/pid/mem) of a GTT mmap: copy len bytes at
 * addr from or to the object's pages (pfns, object page index -> pfn; kept
 * alive by the caller). The object offset is relative to the VMA's start
 * and its fake offset, as for faults. Returns len, or -EINVAL outside the
 * object.
 */
int vi915_vma_access_pfns(struct vm_area_struct *vma, unsigned long addr, void *buf,
			  int len, int write, const unsigned long *pfns,
			  unsigned long npages)
{
	struct drm_gem_object *obj = vma->vm_private_data;
	u64 off = ((u64)vi915_vma_first_page(obj, vma) << PAGE_SHIFT) + (addr - vma->vm_start);
	int done = 0;

	if (write && !(vma->vm_flags & VM_WRITE))
		return -EACCES;
	/*
	 * As i915: a request that runs past the object is refused whole
	 * (/proc/pid/mem then answers EIO, IGT's gem_mmap_offset@oob-read).
	 */
	if (len < 1 || off + len > obj->size)
		return -EINVAL;
	/*
	 * Within this VMA: /proc/pid/mem passes what is left of the whole
	 * request, and past a partial mapping's end lies another mapping.
	 */
	len = min_t(unsigned long, len, vma->vm_end - addr);
	if (off + len > (u64)npages << PAGE_SHIFT)
		return -EINVAL;
	while (done < len) {
		struct page *page = pfn_to_page(pfns[off >> PAGE_SHIFT]);
		size_t in = offset_in_page(off), n = min_t(size_t, PAGE_SIZE - in, len - done);
		void *va = kmap_local_page(page);

		if (write) {
			memcpy(va + in, buf + done, n);
			set_page_dirty_lock(page);
		} else {
			memcpy(buf + done, va + in, n);
		}
		kunmap_local(va);
		done += n;
		off += n;
	}
	return len;
}

/*
 * I915_USERPTR_PROBE: every page of [start, start+size) must be covered by a
 * VMA that is not VM_PFNMAP/VM_MIXEDMAP. Runs in ioctl context (mmap_lock
 * may be taken here).
 */
int vi915_probe_range(u64 start, u64 size)
{
	struct mm_struct *mm = current->mm;
	unsigned long addr = start, end = start + size;
	struct vm_area_struct *vma;
	int ret = 0;

	if (!mm)
		return -EFAULT;
	mmap_read_lock(mm);
	while (addr < end) {
		vma = vma_lookup(mm, addr);
		if (!vma || (vma->vm_flags & (VM_PFNMAP | VM_MIXEDMAP))) {
			ret = -EFAULT;
			break;
		}
		addr = vma->vm_end;
	}
	mmap_read_unlock(mm);
	return ret;
}

struct workqueue_struct *vi915_alloc_workqueue(void)
{
	return alloc_workqueue("vi915-userptr", WQ_UNBOUND | WQ_MEM_RECLAIM, 0);
}

void vi915_destroy_workqueue(struct workqueue_struct *wq)
{
	destroy_workqueue(wq);
}

struct sg_table *vi915_pages_to_sg(struct drm_gem_object *obj,
				   struct page **pages, unsigned int npages)
{
	return drm_prime_pages_to_sg(obj->dev, pages, npages);
}

/*
 * mmap of the DRM device file: as drm_gem_mmap, except that the object is
 * found by any page of its fake offset range, as i915 finds it, so a mapping
 * may cover part of an object, from any page on (the range must lie inside
 * one object). The fault handler, vm_ops->access and the revocation already
 * place a VMA by its offset relative to the object's.
 */
static int vi915_mmap(struct file *filp, struct vm_area_struct *vma)
{
	struct drm_file *priv = filp->private_data;
	struct drm_device *dev = priv->minor->dev;
	struct drm_gem_object *obj = NULL;
	struct drm_vma_offset_node *node;
	unsigned long end;
	int ret;

	if (drm_dev_is_unplugged(dev))
		return -ENODEV;
	drm_vma_offset_lock_lookup(dev->vma_offset_manager);
	node = drm_vma_offset_lookup_locked(dev->vma_offset_manager, vma->vm_pgoff,
					    vma_pages(vma));
	if (node) {
		obj = container_of(node, struct drm_gem_object, vma_node);
		/* Being freed: its node goes once we drop the lookup lock. */
		if (!kref_get_unless_zero(&obj->refcount))
			obj = NULL;
	}
	drm_vma_offset_unlock_lookup(dev->vma_offset_manager);
	if (!obj)
		return -EINVAL;
	if (!drm_vma_node_is_allowed(node, priv)) {
		drm_gem_object_put(obj);
		return -EACCES;
	}
	/* The lookup found a node holding [vm_pgoff, vm_pgoff + pages). */
	end = drm_vma_node_start(node) + drm_vma_node_size(node);
	ret = drm_gem_mmap_obj(obj, (end - vma->vm_pgoff) << PAGE_SHIFT, vma);
	drm_gem_object_put(obj);
	return ret;
}

/*
 * The device's own copies of its DRM driver table and file operations,
 * which the Rust DRM abstractions make constants: the table gains
 * gem_prime_import_sg_table (foreign dma-buf import, which
 * drm_gem_prime_import_dev calls once it has attached to and mapped the
 * dma-buf) and the syncobj features (the DRM core's syncobj ioctls, for
 * execbuf's fence arrays), the file operations vi915_mmap. Exporters map their sg tables
 * for the importing device, so the faux device gets a 64-bit DMA mask
 * (dma-direct: no IOMMU behind it; the software engine only ever uses the
 * CPU pages of the table). Before registration: drm_stub_open reads the
 * file operations from the table at every open. The copies are static, so
 * only one device may have them (-EBUSY for another).
 */
static struct drm_driver vi915_driver;
static struct file_operations vi915_fops;

int vi915_install_driver(struct drm_device *dev,
			 struct drm_gem_object *(*import)(struct drm_device *,
							  struct dma_buf_attachment *,
							  struct sg_table *))
{
	int ret;

	/* One device per module load: the copies are the module's. */
	if (vi915_driver.fops)
		return -EBUSY;
	ret = dma_coerce_mask_and_coherent(dev->dev, DMA_BIT_MASK(64));
	if (ret)
		return ret;
	vi915_fops = *dev->driver->fops;
	vi915_fops.mmap = vi915_mmap;
	vi915_driver = *dev->driver;
	vi915_driver.driver_features |= DRIVER_SYNCOBJ | DRIVER_SYNCOBJ_TIMELINE;
	vi915_driver.gem_prime_import_sg_table = import;
	vi915_driver.fops = &vi915_fops;
	dev->driver = &vi915_driver;
	return 0;
}

size_t vi915_attach_size(struct dma_buf_attachment *attach)
{
	return attach->dmabuf->size;
}

/*
 * The pages of an imported sg table, exactly npages of them (else -EINVAL),
 * found the way a device finds them: by the DMA addresses the exporter mapped
 * for our device (an importer must not read the table's struct pages). The
 * faux device's DMA is direct, so dma_to_phys() inverts them; the software
 * engine, PREAD/PWRITE and GTT faults then reach the memory through its
 * pages, which must be RAM. Where direct DMA would bounce (swiotlb forced,
 * memory encryption) the addresses are not the buffer's: refused, as are
 * segments that are not whole pages.
 */
int vi915_sgt_pages(struct dma_buf_attachment *attach, struct sg_table *sgt,
		    struct page **pages, unsigned long npages)
{
	struct device *dev = attach->dev;
	struct sg_dma_page_iter it;
	struct scatterlist *sg;
	unsigned long n = 0, pfn;
	phys_addr_t phys;
	unsigned int i;

	if (get_dma_ops(dev) || is_swiotlb_force_bounce(dev) || force_dma_unencrypted(dev))
		return -EINVAL;
	for_each_sgtable_dma_sg(sgt, sg, i)
		if (!PAGE_ALIGNED(sg_dma_address(sg)) || !PAGE_ALIGNED(sg_dma_len(sg)))
			return -EINVAL;
	for_each_sgtable_dma_page(sgt, &it, 0) {
		phys = dma_to_phys(dev, sg_page_iter_dma_address(&it));
		pfn = PHYS_PFN(phys);
		if (n == npages || !pfn_valid(pfn) || swiotlb_find_pool(dev, phys))
			return -EINVAL;
		pages[n++] = pfn_to_page(pfn);
	}
	return n == npages ? 0 : -EINVAL;
}

/* The end of an import, from the object's free (a no-op before it is one). */
void vi915_prime_destroy(struct drm_gem_object *obj, struct sg_table *sgt)
{
	if (obj->import_attach)
		drm_prime_gem_destroy(obj, sgt);
}

/*
 * A zeroed page for an object whose size the user chose: charged to the
 * caller's memory cgroup, and when memory (or the cgroup's limit) runs out
 * the allocation fails instead of invoking the OOM killer or warning
 * (i915 allocates its shmem pages with __GFP_RETRY_MAYFAIL for the same
 * reason). NULL on failure.
 */
struct page *vi915_alloc_user_page(void)
{
	return alloc_page(GFP_KERNEL_ACCOUNT | __GFP_RETRY_MAYFAIL | __GFP_NOWARN | __GFP_ZERO);
}

void vi915_free_page(struct page *page)
{
	__free_page(page);
}

/* A vector sized by user input, with the same rules as vi915_alloc_user_page(). */
void *vi915_user_kvmalloc(size_t n, size_t size)
{
	return kvmalloc_array(n, size, GFP_KERNEL_ACCOUNT | __GFP_RETRY_MAYFAIL | __GFP_NOWARN);
}

void vi915_kvfree(void *p)
{
	kvfree(p);
}

u64 vi915_totalram_bytes(void)
{
	return (u64)totalram_pages() << PAGE_SHIFT;
}

/* ---- debugfs ---------------------------------------------------------- */

static vi915_counters_fn vi915_counters_cb;
/* The snapshot's length: six vi915_counters values, object bytes, the seventh value. */
#define VI915_NR_COUNTERS	8

static int vi915_counters_show(struct seq_file *m, void *unused)
{
	u64 v[VI915_NR_COUNTERS];

	vi915_counters_cb(v, ARRAY_SIZE(v));
	seq_printf(m, "objects %llu\n", v[0]);
	seq_printf(m, "userptr_objects %llu\n", v[1]);
	seq_printf(m, "pages_held %llu\n", v[2]);
	seq_printf(m, "workers_in_flight %llu\n", v[3]);
	seq_printf(m, "ggtt_bound %llu\n", v[4]);
	seq_printf(m, "requests_in_flight %llu\n", v[5]);
	seq_printf(m, "engine_mapped_pages %llu\n", v[7]);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vi915_counters);

/* i915's 2017 format, whose leading count IGT reads ("%i objects"). */
static int vi915_gem_objects_show(struct seq_file *m, void *unused)
{
	u64 v[VI915_NR_COUNTERS];

	vi915_counters_cb(v, ARRAY_SIZE(v));
	seq_printf(m, "%llu objects, %llu bytes\n", v[0], v[6]);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vi915_gem_objects);

/*
 * i915_params/: one file per parameter, i_private = its id. The values live
 * in the driver (params.rs); these only format and parse: "%u" / "Y|N" / "%d"
 * as i915's module parameters print.
 */
static vi915_param_get_fn vi915_param_get_cb;
static vi915_param_set_fn vi915_param_set_cb;

static int vi915_param_show(struct seq_file *m, void *unused)
{
	int id = (long)m->private;
	s64 v = vi915_param_get_cb(id);

	switch (id) {
	case VI915_PARAM_RESET:
		seq_printf(m, "%u\n", (u32)v);
		break;
	case VI915_PARAM_ENABLE_HANGCHECK:
		seq_puts(m, v ? "Y\n" : "N\n");
		break;
	default:
		seq_printf(m, "%d\n", (int)v);
		break;
	}
	return 0;
}

static int vi915_param_open(struct inode *inode, struct file *file)
{
	return single_open(file, vi915_param_show, inode->i_private);
}

static ssize_t vi915_param_write(struct file *file, const char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	int id = (long)((struct seq_file *)file->private_data)->private;
	char buf[24];
	s64 v;
	int ret;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = 0;
	if (id == VI915_PARAM_ENABLE_HANGCHECK) {
		bool b;

		ret = kstrtobool(strim(buf), &b);
		v = b;
	} else if (id == VI915_PARAM_RESET) {
		u32 u;

		ret = kstrtou32(strim(buf), 0, &u);
		v = u;
	} else {
		int i;

		ret = kstrtoint(strim(buf), 0, &i);
		v = i;
	}
	if (ret)
		return ret;
	ret = vi915_param_set_cb(id, v);
	return ret ? ret : count;
}

static const struct file_operations vi915_param_fops = {
	.owner = THIS_MODULE,
	.open = vi915_param_open,
	.read = seq_read,
	.write = vi915_param_write,
	.llseek = seq_lseek,
	.release = single_release,
};

void vi915_debugfs_params_init(struct drm_device *dev, vi915_param_get_fn get,
			       vi915_param_set_fn set)
{
	static const char *const names[] = {
		[VI915_PARAM_RESET] = "reset",
		[VI915_PARAM_ENABLE_HANGCHECK] = "enable_hangcheck",
		[VI915_PARAM_ENABLE_GUC] = "enable_guc",
	};
	struct dentry *dir;

	vi915_param_get_cb = get;
	vi915_param_set_cb = set;
	if (!dev->debugfs_root)
		return;
	dir = debugfs_create_dir("i915_params", dev->debugfs_root);
	for (long i = 0; i < ARRAY_SIZE(names); i++)
		debugfs_create_file(names[i], 0600, dir, (void *)i, &vi915_param_fops);
}

static vi915_hang_get_fn vi915_hang_get_cb;
static vi915_hang_clear_fn vi915_hang_clear_cb;

static int vi915_error_state_show(struct seq_file *m, void *unused)
{
	u64 seqno, offset, budget;

	if (!vi915_hang_get_cb(&seqno, &offset, &budget)) {
		seq_puts(m, "no error state collected\n");
		return 0;
	}
	seq_puts(m, "i915 error state (vi915)\n");
	seq_printf(m, "Engine bcs0 hung: request %llu ran past its %llu ms budget (request_budget_ms)\n",
		   seqno, budget);
	seq_printf(m, "  batch offset: 0x%llx\n", offset);
	seq_puts(m, "  the request was ended with -EIO; the engine went on with the next\n");
	return 0;
}

static int vi915_error_state_open(struct inode *inode, struct file *file)
{
	return single_open(file, vi915_error_state_show, inode->i_private);
}

static ssize_t vi915_error_state_write(struct file *file, const char __user *buf,
				       size_t count, loff_t *ppos)
{
	vi915_hang_clear_cb(); /* any write clears, as in i915 */
	return count;
}

static const struct file_operations vi915_error_state_fops = {
	.owner = THIS_MODULE,
	.open = vi915_error_state_open,
	.read = seq_read,
	.write = vi915_error_state_write,
	.llseek = seq_lseek,
	.release = single_release,
};

static u64 vi915_drop_caches_last;

static int vi915_drop_caches_get(void *data, u64 *val)
{
	*val = READ_ONCE(vi915_drop_caches_last);
	return 0;
}

static int vi915_drop_caches_set(void *data, u64 val)
{
	/* Nothing is cached or busy in vi915: accept and remember the mask. */
	WRITE_ONCE(vi915_drop_caches_last, val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(vi915_drop_caches_fops, vi915_drop_caches_get,
			 vi915_drop_caches_set, "0x%08llx\n");

void vi915_debugfs_init(struct drm_device *dev, vi915_counters_fn counters,
			vi915_hang_get_fn hang_get, vi915_hang_clear_fn hang_clear)
{
	vi915_counters_cb = counters;
	vi915_hang_get_cb = hang_get;
	vi915_hang_clear_cb = hang_clear;
	if (!dev->debugfs_root)
		return;
	debugfs_create_file("i915_error_state", 0644, dev->debugfs_root, NULL,
			    &vi915_error_state_fops);
	debugfs_create_file("i915_gem_drop_caches", 0644, dev->debugfs_root,
			    NULL, &vi915_drop_caches_fops);
	debugfs_create_file("vi915_counters", 0444, dev->debugfs_root, NULL,
			    &vi915_counters_fops);
	debugfs_create_file("i915_gem_objects", 0444, dev->debugfs_root, NULL,
			    &vi915_gem_objects_fops);
}

/* ---- software engine: fences, reservation objects, page copies ---------- */

static const char *vi915_fence_driver_name(struct dma_fence *fence)
{
	return "vi915";
}

static const char *vi915_fence_timeline_name(struct dma_fence *fence)
{
	return "bcs0";
}

/*
 * No release and no wait callback: on signalling the DMA fence core then
 * detaches the ops (fence->ops = NULL), so a signalled fence that outlives
 * the module (a sync_file, another driver's reservation object) never calls
 * into it. Every fence is signalled before unload (the engine queue is
 * drained, a dropped request signals -ECANCELED), and unload waits for an
 * RCU grace period (vi915_fence_unload) for readers of the ops pointer.
 */
static const struct dma_fence_ops vi915_fence_ops = {
	.get_driver_name = vi915_fence_driver_name,
	.get_timeline_name = vi915_fence_timeline_name,
};

u64 vi915_fence_context_alloc(void)
{
	return dma_fence_context_alloc(1);
}

struct dma_fence *vi915_fence_create(u64 context, u64 seqno)
{
	struct dma_fence *fence = kzalloc(sizeof(*fence), GFP_KERNEL);

	/*
	 * NULL lock: the fence's own inline spinlock, freed with the fence,
	 * never a lock in module memory.
	 */
	if (fence)
		dma_fence_init(fence, &vi915_fence_ops, NULL, context, seqno);
	return fence;
}

void vi915_fence_unload(void)
{
	synchronize_rcu();
}

void vi915_fence_signal(struct dma_fence *fence, int err)
{
	if (test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &fence->flags))
		return;
	if (err)
		dma_fence_set_error(fence, err);
	dma_fence_signal(fence);
}

void vi915_fence_put(struct dma_fence *fence)
{
	dma_fence_put(fence);
}

bool vi915_fence_begin_signalling(void)
{
	return dma_fence_begin_signalling();
}

void vi915_fence_end_signalling(bool cookie)
{
	dma_fence_end_signalling(cookie);
}

/*
 * The fences of other drivers that a request must wait for before it runs
 * (implicit sync, as i915's execbuf: on an object it writes, every fence; on
 * one it reads, the writers'), unless the object is marked ASYNC (!await).
 * vi915's own fences need no wait: one ordered queue runs every request.
 * Called with every reservation lock held. *deps: NULL, or a vi915_kvmalloc'd
 * array of *ndeps fence references the caller owns (vi915_fences_put). Its
 * size follows what other drivers put there (vgem adds read fences without
 * limit): charged to the caller's memory cgroup, ENOMEM without a warning.
 */
static int vi915_foreign_fences(struct drm_gem_object **objs, const bool *write,
				const bool *await, unsigned int n,
				struct dma_fence ***deps, unsigned int *ndeps)
{
	struct dma_fence **fences = NULL, **grown, *f;
	struct dma_resv_iter cursor;
	unsigned int i, count = 0, cap = 0;

	for (i = 0; i < n; i++) {
		if (!await[i])
			continue;
		dma_resv_for_each_fence(&cursor, objs[i]->resv, dma_resv_usage_rw(write[i]), f) {
			if (rcu_access_pointer(f->ops) == &vi915_fence_ops ||
			    dma_fence_is_signaled(f))
				continue;
			if (count == cap) {
				if (cap > UINT_MAX / 2)
					goto nomem;
				cap = cap ? 2 * cap : 4;
				grown = vi915_user_kvmalloc(cap, sizeof(*fences));
				if (!grown)
					goto nomem;
				if (count)
					memcpy(grown, fences, count * sizeof(*fences));
				kvfree(fences);
				fences = grown;
			}
			fences[count++] = dma_fence_get(f);
		}
	}
	*deps = fences;
	*ndeps = count;
	return 0;
nomem:
	vi915_fences_put(fences, count);
	return -ENOMEM;
}

void vi915_fences_put(struct dma_fence **fences, unsigned int n)
{
	while (n)
		dma_fence_put(fences[--n]);
	kvfree(fences);
}

int vi915_gem_add_fence(struct drm_gem_object **objs, const bool *write, const bool *await,
			unsigned int n, struct dma_fence *fence,
			struct dma_fence ***deps, unsigned int *ndeps)
{
	struct ww_acquire_ctx ctx;
	unsigned int i;
	int ret;

	*deps = NULL;
	*ndeps = 0;
	ret = drm_gem_lock_reservations(objs, n, &ctx);
	if (ret)
		return ret;
	/* Every allocation before the fence is published anywhere. */
	for (i = 0; i < n; i++) {
		ret = dma_resv_reserve_fences(objs[i]->resv, 1);
		if (ret)
			goto out;
	}
	ret = vi915_foreign_fences(objs, write, await, n, deps, ndeps);
	if (ret)
		goto out;
	for (i = 0; i < n; i++)
		dma_resv_add_fence(objs[i]->resv, fence,
				   write[i] ? DMA_RESV_USAGE_WRITE : DMA_RESV_USAGE_READ);
out:
	drm_gem_unlock_reservations(objs, n, &ctx);
	return ret;
}

long vi915_gem_wait(struct drm_gem_object *obj, bool intr, long timeout)
{
	return dma_resv_wait_timeout(obj->resv, DMA_RESV_USAGE_READ, intr, timeout);
}

long vi915_max_schedule_timeout(void)
{
	return MAX_SCHEDULE_TIMEOUT;
}

long vi915_nsecs_to_jiffies(u64 ns)
{
	/* Round up (a wait of 1 ns is one jiffy) and stay below the infinite value. */
	u64 j = nsecs_to_jiffies64(ns) + 1;

	return j >= MAX_SCHEDULE_TIMEOUT ? MAX_SCHEDULE_TIMEOUT - 1 : j;
}

u64 vi915_jiffies_to_nsecs(long j)
{
	return jiffies_to_nsecs(j);
}

bool vi915_gem_idle(struct drm_gem_object *obj, bool writes_only)
{
	return dma_resv_test_signaled(obj->resv, writes_only ? DMA_RESV_USAGE_WRITE :
				      DMA_RESV_USAGE_READ);
}

/*
 * Whether one of vi915's own fences in obj's reservation object is
 * unsignalled (writes_only: as a writer). GEM_BUSY reports the engine's
 * work only, as i915's reports only its own requests: an imported buffer's
 * foreign fences are not the copy engine being busy. Lockless.
 */
bool vi915_gem_busy_own(struct drm_gem_object *obj, bool writes_only)
{
	struct dma_resv_iter cursor;
	struct dma_fence *f;
	bool busy = false;

	dma_resv_iter_begin(&cursor, obj->resv,
			    writes_only ? DMA_RESV_USAGE_WRITE : DMA_RESV_USAGE_READ);
	dma_resv_for_each_fence_unlocked(&cursor, f) {
		if (dma_resv_iter_is_restarted(&cursor))
			busy = false;
		if (rcu_access_pointer(f->ops) == &vi915_fence_ops &&
		    !dma_fence_is_signaled(f))
			busy = true;
	}
	dma_resv_iter_end(&cursor);
	return busy;
}

/*
 * The software engine's copy loop (and PREAD/PWRITE's, through pinned user
 * pages). The kernel's own memcpy() here is `rep movsb` (inlined by the
 * compiler, or the FSRM alternative), which QEMU's TCG runs one byte per
 * iteration: 30 MiB/s in the test guest. Whole 64-byte blocks move through
 * eight general registers instead, all eight loaded before any is stored:
 * TCG's software TLB is direct-mapped, and when the two pages' numbers agree
 * in its low bits they evict each other, so a loop that alternates loads and
 * stores then misses on every access. Measured side by side in one boot of
 * the test guest, with the same loops in userspace: 64-byte blocks 1.4-1.6x
 * glibc's memcpy, 8-byte load/store pairs 1.15x, AVX blocks (sixteen 32-byte
 * registers) 1.0x, SSE2 0.75x; between pages that alias, the blocks keep 1.2
 * GB/s where the pairs fall to 0.2. In the engine, the blocks copied 20-30%
 * faster than the AVX blocks in a kernel FPU section they replace. The rest
 * moves 8 bytes, then 1, at a time; the barriers keep the compiler from
 * turning the loops back into memcpy(). KASAN checks both ranges once, as it
 * checks a memcpy(), instead of every access.
 */
static __no_sanitize_address void vi915_copy(void *dst, const void *src, size_t len)
{
	kasan_check_read(src, len);
	kasan_check_write(dst, len);
	for (; len >= 64; len -= 64, src += 64, dst += 64) {
		const u64 *s = src;
		u64 *d = dst;
		u64 a0 = get_unaligned(s), a1 = get_unaligned(s + 1);
		u64 a2 = get_unaligned(s + 2), a3 = get_unaligned(s + 3);
		u64 a4 = get_unaligned(s + 4), a5 = get_unaligned(s + 5);
		u64 a6 = get_unaligned(s + 6), a7 = get_unaligned(s + 7);

		barrier();
		put_unaligned(a0, d);
		put_unaligned(a1, d + 1);
		put_unaligned(a2, d + 2);
		put_unaligned(a3, d + 3);
		put_unaligned(a4, d + 4);
		put_unaligned(a5, d + 5);
		put_unaligned(a6, d + 6);
		put_unaligned(a7, d + 7);
		barrier();
	}
	for (; len >= 8; len -= 8, src += 8, dst += 8) {
		put_unaligned(get_unaligned((const u64 *)src), (u64 *)dst);
		barrier();
	}
	for (; len; len--, src++, dst++) {
		*(u8 *)dst = *(const u8 *)src;
		barrier();
	}
}

/*
 * A Y tile's 16-byte columns, four at a time in the registers (the same
 * reason as above), then one at a time.
 */
static void vi915_copy_columns(void *d, size_t dst_stride, const void *s, size_t src_stride,
			       size_t count)
{
	for (; count >= 4; count -= 4, s += 4 * src_stride, d += 4 * dst_stride) {
		const u64 *s0 = s, *s1 = s + src_stride, *s2 = s + 2 * src_stride,
			  *s3 = s + 3 * src_stride;
		u64 *d0 = d, *d1 = d + dst_stride, *d2 = d + 2 * dst_stride, *d3 = d + 3 * dst_stride;
		u64 a0 = get_unaligned(s0), a1 = get_unaligned(s0 + 1);
		u64 b0 = get_unaligned(s1), b1 = get_unaligned(s1 + 1);
		u64 c0 = get_unaligned(s2), c1 = get_unaligned(s2 + 1);
		u64 e0 = get_unaligned(s3), e1 = get_unaligned(s3 + 1);

		barrier();
		put_unaligned(a0, d0);
		put_unaligned(a1, d0 + 1);
		put_unaligned(b0, d1);
		put_unaligned(b1, d1 + 1);
		put_unaligned(c0, d2);
		put_unaligned(c1, d2 + 1);
		put_unaligned(e0, d3);
		put_unaligned(e1, d3 + 1);
		barrier();
	}
	for (; count; count--, s += src_stride, d += dst_stride)
		vi915_copy(d, s, 16);
}

/*
 * @count pieces of @piece bytes, the destination advancing by @dst_stride and
 * the source by @src_stride: one piece (any run of a blit), or a Y tile's
 * share of a row (eight 16-byte columns 512 bytes apart) in one call.
 */
void vi915_map_copy_strided(void *d, size_t dst_stride, const void *s, size_t src_stride,
			    size_t piece, size_t count)
{
	size_t i;

	if (piece == 16)
		vi915_copy_columns(d, dst_stride, s, src_stride, count);
	else
		for (i = 0; i < count; i++)
			vi915_copy(d + i * dst_stride, s + i * src_stride, piece);
}

/* The same between two pages, every piece inside its page. */
void vi915_page_copy_strided(struct page *dst, size_t dst_off, size_t dst_stride,
			     struct page *src, size_t src_off, size_t src_stride,
			     size_t piece, size_t count)
{
	void *d = kmap_local_page(dst);
	void *s = kmap_local_page(src);

	vi915_map_copy_strided(d + dst_off, dst_stride, s + src_off, src_stride, piece, count);
	kunmap_local(s);
	kunmap_local(d);
}

/* Row @i (8 or 32 of them) of a whole tile @t and its linear row @l. */
static void vi915_tile_row(void *t, bool y, size_t i, void *l, bool to_tile)
{
	if (!y && to_tile)
		vi915_copy(t + i * 512, l, 512);
	else if (!y)
		vi915_copy(l, t + i * 512, 512);
	else if (to_tile)
		vi915_copy_columns(t + i * 16, 512, l, 16, 8);
	else
		vi915_copy_columns(l, 16, t + i * 16, 512, 8);
}

/*
 * A whole tile that fills @tile, to (@to_tile) or from its linear rows (row
 * @i at @offs[i] in @rows[i], 8 or 32 of them): X (@y false) is 8 rows of 512 bytes, row
 * after row; Y is 32 rows of 128 bytes, each eight 16-byte columns 512
 * bytes apart in the tile.
 */
void vi915_tile_copy(struct page *tile, bool y, struct page **rows, const size_t *offs,
		     bool to_tile)
{
	void *t = kmap_local_page(tile);
	size_t i, n = y ? 32 : 8;

	for (i = 0; i < n; i++) {
		void *p = kmap_local_page(rows[i]);

		vi915_tile_row(t, y, i, p + offs[i], to_tile);
		kunmap_local(p);
	}
	kunmap_local(t);
}

/*
 * A whole Y tile column by column: each 16-byte column is 512 contiguous
 * bytes of the tile (32 rows), gathered from or scattered to the linear rows
 * four at a time in the registers (vi915_copy_columns()), eight calls a tile
 * where row by row made 32: through the mapping, an 8 MiB linear -> Y blit
 * took about 20 ms row by row and 7.5 ms column by column (one boot each).
 */
static void vi915_y_tile(void *t, void *l, size_t pitch, bool to_tile)
{
	size_t c;

	for (c = 0; c < 8; c++) {
		if (to_tile)
			vi915_copy_columns(t + c * 512, 16, l + c * 16, pitch, 32);
		else
			vi915_copy_columns(l + c * 16, pitch, t + c * 512, 16, 32);
	}
}

/*
 * The same through contiguous mappings, @count tiles side by side (4096 bytes
 * apart from @tile): tile t's linear rows @pitch bytes apart from @linear plus
 * its width (512 or 128 bytes) times t.
 */
void vi915_map_tile_copy(void *tile, bool y, void *linear, size_t pitch, size_t count,
			 bool to_tile)
{
	size_t i, t;

	for (t = 0; t < count; t++, tile += 4096, linear += y ? 128 : 512) {
		if (y) {
			vi915_y_tile(tile, linear, pitch, to_tile);
			continue;
		}
		for (i = 0; i < 8; i++)
			vi915_tile_row(tile, false, i, linear + i * pitch, to_tile);
	}
}

/*
 * A virtually contiguous kernel mapping of an object's pages for the engine
 * (NULL if there is no room): the engine then copies a surface's rows and
 * tiles with one pointer, and QEMU's TCG keeps the pages it walks in
 * consecutive entries of its direct-mapped software TLB, where the direct
 * map's addresses of scattered pages land on arbitrary ones and evict each
 * other.
 */
void *vi915_vmap_pages(struct page **pages, unsigned int n, bool writable)
{
	return vmap(pages, n, VM_MAP, writable ? PAGE_KERNEL : PAGE_KERNEL_RO);
}

void vi915_vunmap(void *addr)
{
	vunmap(addr);
}

/* One load: the CPU may be writing the dword (a semaphore, a spinner's condition). */
u32 vi915_page_read_dword(struct page *page, size_t off)
{
	void *p = kmap_local_page(page);
	u32 v = READ_ONCE(*(u32 *)(p + off));

	kunmap_local(p);
	return v;
}

void vi915_page_read(struct page *page, size_t off, void *buf, size_t len)
{
	memcpy_from_page(buf, page, off, len);
}

void vi915_page_write(struct page *page, size_t off, const void *buf, size_t len)
{
	memcpy_to_page(page, off, buf, len);
}

/*
 * Bulk PREAD/PWRITE pieces pin the user pages (at most two: a piece stays
 * inside one object page) with pin_user_pages_fast() and copy with the
 * engine's loop, as process_vm_readv() copies through the pages it pins (a
 * pin, not a plain reference: the data is written, and fork() must copy a
 * pinned anonymous page rather than share it):
 * copy_{to,from}_user() is `rep movsb` as well (the FSRM alternative), 30
 * MiB/s under TCG. Where the pages cannot be taken (nothing mapped, no access,
 * a PFN map such as a GTT mmap, whose fault must run), the uaccess copy does
 * the piece and reports the fault. Returns whether the piece was copied.
 */
#define VI915_PINNED_COPY_MIN 1024

static bool vi915_user_pages_copy(void *kaddr, u64 uaddr, size_t len, bool to_user)
{
	size_t in = offset_in_page(uaddr), done = 0;
	int n = DIV_ROUND_UP(in + len, PAGE_SIZE), got, i;
	struct page *pages[2];

	if (!IS_ENABLED(CONFIG_X86_64) || len < VI915_PINNED_COPY_MIN || n > 2)
		return false;
	got = pin_user_pages_fast(uaddr - in, n, to_user ? FOLL_WRITE : 0, pages);
	if (got != n) {
		if (got > 0)
			unpin_user_pages(pages, got);
		return false;
	}
	for (i = 0; i < n; i++) {
		size_t m = min_t(size_t, PAGE_SIZE - in, len - done);
		void *u = kmap_local_page(pages[i]);

		if (to_user)
			vi915_copy(u + in, kaddr + done, m);
		else
			vi915_copy(kaddr + done, u + in, m);
		kunmap_local(u);
		done += m;
		in = 0;
	}
	unpin_user_pages_dirty_lock(pages, n, to_user);
	return true;
}

/*
 * PREAD/PWRITE: copy between a driver page and user memory. Like read(2) on a
 * shared page, the copy tolerates racing CPU writes through a GTT mmap (the
 * bytes are then indeterminate); a fault on the user side copies less.
 * Returns the number of bytes not copied.
 */
static size_t vi915_page_to_user(u64 dst, struct page *page, size_t off, size_t len)
{
	void *s = kmap_local_page(page);
	size_t left = 0;

	if (!vi915_user_pages_copy(s + off, dst, len, true))
		left = copy_to_user(u64_to_user_ptr(dst), s + off, len);
	kunmap_local(s);
	return left;
}

static size_t vi915_page_from_user(struct page *page, size_t off, u64 src, size_t len)
{
	void *d = kmap_local_page(page);
	size_t left = 0;

	if (!vi915_user_pages_copy(d + off, src, len, false))
		left = copy_from_user(d + off, u64_to_user_ptr(src), len);
	kunmap_local(d);
	return left;
}

/* A run of object pages page by page (the path of any piece the run's pin did not cover). */
static size_t vi915_pages_user_copy_each(struct page **pages, size_t off, u64 uaddr, size_t len,
					 bool to_user)
{
	size_t done = 0;

	while (done < len) {
		size_t o = off + done, m = min_t(size_t, PAGE_SIZE - o % PAGE_SIZE, len - done);
		struct page *page = pages[o / PAGE_SIZE];
		size_t left = to_user ? vi915_page_to_user(uaddr + done, page, o % PAGE_SIZE, m) :
				vi915_page_from_user(page, o % PAGE_SIZE, uaddr + done, m);

		if (left)
			return len - done - m + left;
		done += m;
	}
	return 0;
}

/*
 * PREAD/PWRITE of a run of at most VI915_RW_RUN object pages: @len bytes from
 * @off into the first of @pages, to (@to_user) or from user address @uaddr.
 * The run's user pages are pinned with one pin_user_pages_fast(): a pin per
 * page costs more than the copy of the page under TCG. A run that
 * cannot be pinned whole (see vi915_user_pages_copy()) goes page by page.
 * Returns the number of bytes not copied.
 */
#define VI915_RW_RUN 32

size_t vi915_pages_user_copy(struct page **pages, size_t off, u64 uaddr, size_t len, bool to_user)
{
	struct page *upages[VI915_RW_RUN + 1];
	size_t uin = offset_in_page(uaddr), done = 0;
	int un = DIV_ROUND_UP(uin + len, PAGE_SIZE), got;

	if (!IS_ENABLED(CONFIG_X86_64) || len < VI915_PINNED_COPY_MIN || off >= PAGE_SIZE ||
	    un > ARRAY_SIZE(upages) || DIV_ROUND_UP(off + len, PAGE_SIZE) > VI915_RW_RUN)
		return vi915_pages_user_copy_each(pages, off, uaddr, len, to_user);
	got = pin_user_pages_fast(uaddr - uin, un, to_user ? FOLL_WRITE : 0, upages);
	if (got != un) {
		if (got > 0)
			unpin_user_pages(upages, got);
		return vi915_pages_user_copy_each(pages, off, uaddr, len, to_user);
	}
	while (done < len) {
		size_t o = off + done, u = uin + done;
		size_t m = min3(PAGE_SIZE - o % PAGE_SIZE, PAGE_SIZE - u % PAGE_SIZE, len - done);
		void *k = kmap_local_page(pages[o / PAGE_SIZE]);
		void *up = kmap_local_page(upages[u / PAGE_SIZE]);

		if (to_user)
			vi915_copy(up + u % PAGE_SIZE, k + o % PAGE_SIZE, m);
		else
			vi915_copy(k + o % PAGE_SIZE, up + u % PAGE_SIZE, m);
		kunmap_local(up);
		kunmap_local(k);
		done += m;
	}
	unpin_user_pages_dirty_lock(upages, un, to_user);
	return 0;
}

struct workqueue_struct *vi915_alloc_ordered_workqueue(void)
{
	return alloc_ordered_workqueue("vi915-bcs0", WQ_MEM_RECLAIM);
}

/* ---- exec fences: sync_file out, foreign fences in ----------------------- */

/* A sync_file holding a reference to @fence; NULL on ENOMEM. */
struct sync_file *vi915_sync_file_create(struct dma_fence *fence)
{
	return sync_file_create(fence);
}

/* Drop a sync_file that was never installed in a file table. */
void vi915_sync_file_discard(struct sync_file *sf)
{
	fput(sf->file);
}

/* A close-on-exec fd number of the calling process, or -errno. */
int vi915_fd_reserve(void)
{
	return get_unused_fd_flags(O_CLOEXEC);
}

void vi915_fd_unreserve(int fd)
{
	put_unused_fd(fd);
}

/* Install @sf at the reserved @fd; the file table takes our reference. */
void vi915_sync_file_install(int fd, struct sync_file *sf)
{
	fd_install(fd, sf->file);
}

/* The fence of sync_file @fd (a new reference), or NULL if @fd is not one. */
struct dma_fence *vi915_sync_file_get_fence(int fd)
{
	return sync_file_get_fence(fd);
}

struct dma_fence *vi915_fence_get(struct dma_fence *fence)
{
	return dma_fence_get(fence);
}

bool vi915_fence_is_signaled(struct dma_fence *fence)
{
	return dma_fence_is_signaled(fence);
}

/* An ioctl's wait (execbuf's throttle): 0 once signalled, -ERESTARTSYS on a signal. */
int vi915_fence_wait_intr(struct dma_fence *fence)
{
	long ret = dma_fence_wait(fence, true);

	return ret < 0 ? (int)ret : 0;
}

/*
 * Wait at most @timeout jiffies, sleeping interruptibly: the engine's worker
 * takes no signals, and an interruptible sleep is not a hung task however
 * long the request budget is. 0: still unsignalled; 1: signalled with no
 * error; else the fence's error.
 */
int vi915_fence_await(struct dma_fence *fence, long timeout)
{
	if (dma_fence_wait_timeout(fence, true, timeout) <= 0)
		return 0;
	return dma_fence_get_status(fence);
}

/*
 * DRM syncobjs of execbuf's fence arrays (I915_EXEC_FENCE_ARRAY and the
 * timeline-fences extension). Each call runs in the ioctl, holding no lock.
 */
struct drm_syncobj *vi915_syncobj_find(struct drm_file *file, u32 handle)
{
	return drm_syncobj_find(file, handle);
}

void vi915_syncobj_put(struct drm_syncobj *syncobj)
{
	drm_syncobj_put(syncobj);
}

/*
 * The syncobj's fence (a new reference in *@fence; -ENODATA, *@fence NULL,
 * if it has none), then, for a timeline @point, the fence of the chain link
 * that signals it (NULL once it has signalled and left the chain): -EINVAL
 * where there is no such point yet (a binary syncobj's fence is no chain,
 * or the chain's last point is lower), *@fence then still the syncobj's.
 */
int vi915_syncobj_fence(struct drm_syncobj *syncobj, u64 point, struct dma_fence **fence)
{
	*fence = drm_syncobj_fence_get(syncobj);
	if (!*fence)
		return -ENODATA;
	return dma_fence_chain_find_seqno(fence, point);
}

struct dma_fence_chain *vi915_chain_alloc(void)
{
	return dma_fence_chain_alloc();
}

void vi915_chain_free(struct dma_fence_chain *chain)
{
	dma_fence_chain_free(chain);
}

/*
 * Signal @syncobj with @fence: at timeline @point through @chain (which the
 * syncobj takes over), or, without a chain, as its new fence.
 */
void vi915_syncobj_signal(struct drm_syncobj *syncobj, struct dma_fence_chain *chain,
			  struct dma_fence *fence, u64 point)
{
	if (chain)
		drm_syncobj_add_point(syncobj, chain, fence, point);
	else
		drm_syncobj_replace_fence(syncobj, fence);
}
