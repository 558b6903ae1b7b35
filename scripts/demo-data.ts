/** A dozen demo assets across the layers, created through the API as a client would. */
export interface DemoAsset {
  layer: string;
  category: string;
  subcategory: string;
  description: string;
  tags: string[];
  creatorDescription?: string;
  extractedSongData?: { songName: string; albumName: string; artistName: string };
  components?: string[];
}

export const DEMO_ASSETS: DemoAsset[] = [
  {
    layer: 'G',
    category: 'Pop',
    subcategory: 'Swift_Inspired',
    description: 'Anthemic pop hook',
    tags: ['pop', 'anthem'],
    creatorDescription: 'A stadium chorus for summer remixes',
    extractedSongData: { songName: 'Shake It Off', albumName: '1989', artistName: 'Taylor Swift' },
  },
  {
    layer: 'G',
    category: 'Rock',
    subcategory: 'Classic_Rock',
    description: 'Classic rock riff',
    tags: ['rock'],
    extractedSongData: { songName: 'Bohemian Rhapsody', albumName: 'A Night at the Opera', artistName: 'Queen' },
  },
  { layer: 'G', category: 'Hip_Hop', subcategory: 'Trap', description: 'Trap beat', tags: ['hiphop', 'trap'] },
  { layer: 'S', category: 'Pop', subcategory: 'Base', description: 'Pop star avatar', tags: ['pop', 'star'] },
  {
    layer: 'S',
    category: 'Fantasy',
    subcategory: 'Base',
    description: 'Fantasy star',
    tags: ['fantasy'],
    creatorDescription: 'Elven singer with a silver voice',
  },
  { layer: 'L', category: 'Vintage', subcategory: 'Base', description: 'Vintage look', tags: ['vintage', 'retro'] },
  { layer: 'L', category: 'Casual', subcategory: 'Base', description: 'Casual streetwear', tags: ['casual'] },
  { layer: 'M', category: 'Pop', subcategory: 'Base', description: 'Pop dance move', tags: ['dance'] },
  { layer: 'W', category: 'Futuristic', subcategory: 'Base', description: 'Neon city world', tags: ['future', 'city'] },
  { layer: 'T', category: 'Songs', subcategory: 'Base', description: 'Song training set', tags: ['training'] },
  { layer: 'R', category: 'Music_Video_Rights', subcategory: 'Pop', description: 'Pop video rights', tags: ['rights'] },
  {
    layer: 'C',
    category: 'Music_Video_ReMixes',
    subcategory: 'Pop_ReMixes',
    description: 'Pop remix composite',
    tags: ['composite'],
    components: ['S.FAN.BAS.001', 'L.VIN.BAS.001'],
  },
];
