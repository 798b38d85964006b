/** Officer posts (职务). Court, bureau and tribunal leaders (院/局/庭领导) count as leaders for the 50% handling rule. */
export const POSTS = {
  PRESIDENT: { label: '院长', leader: true },
  VICE_PRESIDENT: { label: '副院长', leader: true },
  BUREAU_CHIEF: { label: '执行局局长', leader: true },
  DEPUTY_BUREAU_CHIEF: { label: '执行局副局长', leader: true },
  TRIBUNAL_CHIEF: { label: '庭长', leader: true },
  DEPUTY_TRIBUNAL_CHIEF: { label: '副庭长', leader: true },
  JUDGE: { label: '执行法官', leader: false },
  ASSISTANT: { label: '法官助理', leader: false },
  CLERK: { label: '书记员', leader: false },
  BAILIFF: { label: '司法警察', leader: false },
} as const;
export type Post = keyof typeof POSTS;
export const POST_NAMES = Object.keys(POSTS) as Post[];
export const isLeaderPost = (post: string): boolean => (POSTS as Record<string, { leader: boolean }>)[post]?.leader ?? false;
