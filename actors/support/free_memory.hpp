#pragma once

namespace roster::actors {

// Gives the memory the allocator holds free back to the system, whichever
// allocator the process runs on: jemalloc's (rosterd links it) or glibc's.
// Actors freed in bulk leave holes that both keep otherwise.
void return_free_memory();

}  // namespace roster::actors
